/** What the console shows of a person wherever people are listed (employees, the org chart). */
export const PERSON_SUMMARY_COLUMNS = [
  'users.id',
  'users.user_name',
  'users.display_name',
  'users.given_name',
  'users.family_name',
  'users.title',
  'users.department',
  'users.manager_id',
] as const
