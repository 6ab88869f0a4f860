import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileExpression } from '../../../src/provisioning/expressions/compile-expression.js'
import { evaluateExpression } from '../../../src/provisioning/expressions/evaluate-expression.js'
import type { ExprValue } from '../../../src/provisioning/expressions/values.js'

function run(text: string, input: Record<string, unknown> = {}): ExprValue | 'dropped' {
  const compiled = compileExpression(text)
  assert.ok(compiled.ok, compiled.ok ? '' : compiled.error.message)
  const result = evaluateExpression(compiled.value, input)
  return result.flow ? result.value : 'dropped'
}

type Case = [expression: string, input: Record<string, unknown>, expected: ExprValue | 'dropped']

function table(name: string, cases: Case[]): void {
  describe(name, () => {
    for (const [expression, input, expected] of cases) {
      it(`${expression} with ${JSON.stringify(input)} gives ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(run(expression, input), expected)
      })
    }
  })
}

const ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'

table('Switch', [
  [ACTIVE, { IsSoftDeleted: false }, 'True'],
  [ACTIVE, { IsSoftDeleted: true }, 'False'],
  [ACTIVE, { IsSoftDeleted: 'True' }, 'False'],
  // The default argument is empty: no match gives null.
  [ACTIVE, { IsSoftDeleted: 'maybe' }, null],
  // Microsoft's example: state code → time zone, with a default.
  [
    'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
    { state: 'QLD' },
    'Australia/Brisbane',
  ],
  [
    'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane")',
    { state: 'WA' },
    'Australia/Sydney',
  ],
  // Case-sensitive.
  ['Switch([state], "none", "qld", "match")', { state: 'QLD' }, 'none'],
  // A null source matches the "" key (Microsoft's advice for empty values).
  ['Switch([statusFlag], "Default Value", "true", "1", "", "0")', {}, '0'],
  ['Switch([country],[country],"","Other")', { country: 'NZ' }, 'NZ'],
  ['Switch([country],[country],"","Other")', {}, 'Other'],
])

table('IIF and comparisons', [
  ['IIF([country]="USA",[country],[department])', { country: 'USA', department: 'Sales' }, 'USA'],
  ['IIF([country]="USA",[country],[department])', { country: 'NZ', department: 'Sales' }, 'Sales'],
  ['IIF([country]="USA",IIF([state]="CA","True","False"),"False")', { country: 'USA', state: 'CA' }, 'True'],
  ['IIF([country]="USA","True",IIF([state]="CA","True","False"))', { country: 'NZ', state: 'CA' }, 'True'],
  ['IIF([n] > 5, "big", "small")', { n: 12 }, 'big'],
  // Numbers compare as numbers, not as text ("12" < "5" as text).
  ['IIF([n] > "5", "big", "small")', { n: '12' }, 'big'],
  ['IIF([n] <= 5, "le", "gt")', { n: 5 }, 'le'],
  ['IIF([a] < [b], "a first", "b first")', { a: 'apple', b: 'banana' }, 'a first'],
  ['IIF([a] <> "x", "different", "same")', { a: 'X' }, 'different'],
  // Entra fails these; we define null as equal to "" and as False.
  ['IIF([country]="","Other",[country])', {}, 'Other'],
  ['IIF(IsNullOrEmpty([country]),"Other",[country])', {}, 'Other'],
  ['IIF(IsPresent([country]),[country],"Other")', { country: 'NZ' }, 'NZ'],
  ['IIF([flag], "on", "off")', { flag: true }, 'on'],
  ['IIF([flag], "on", "off")', {}, 'off'],
  ['IIF([n] > 5, "big", "small")', {}, 'small'],
])

table('Not, CBool and the predicates', [
  ['Not([b])', { b: 'True' }, false],
  ['Not([b])', { b: true }, false],
  ['Not([b])', { b: 'False' }, true],
  ['Not([b])', {}, true],
  ['CBool([attribute1] = [attribute2])', { attribute1: 'a', attribute2: 'a' }, true],
  ['CBool([attribute1] = [attribute2])', { attribute1: 'a', attribute2: 'b' }, false],
  ['CBool([n])', { n: 3 }, true],
  ['CBool([n])', { n: '0' }, false],
  ['CBool([n])', { n: 'true' }, true],
  ['CBool([n])', {}, false],
  ['IsNull([displayName])', {}, true],
  ['IsNull([displayName])', { displayName: '' }, false],
  ['IsNull([proxies])', { proxies: [] }, true],
  ['IsNullOrEmpty([displayName])', { displayName: '' }, true],
  ['IsNullOrEmpty([displayName])', { displayName: 'x' }, false],
  ['IsPresent([displayName])', { displayName: 'x' }, true],
  ['IsPresent([displayName])', { displayName: '' }, false],
  ['IsString([v])', { v: 'x' }, true],
  ['IsString([v])', { v: 42 }, false],
  ['IsString([v])', {}, false],
  ['Switch(IsPresent([directManager]), "none", "True", [directManager])', { directManager: 'm1' }, 'm1'],
])

table('Coalesce', [
  [
    'Coalesce([mail],[userPrincipalName])',
    { userPrincipalName: 'John.Doe@contoso.com' },
    'John.Doe@contoso.com',
  ],
  [
    'Coalesce([mail],[userPrincipalName])',
    { mail: 'j@contoso.com', userPrincipalName: 'u' },
    'j@contoso.com',
  ],
  ['Coalesce([a], [b], "fallback")', {}, 'fallback'],
  ['Coalesce([a], [b])', {}, null],
  ['Coalesce([a], "")', {}, ''],
])

table('Append, Join, Left, Mid, Word', [
  [
    'Append([userPrincipalName], ".test")',
    { userPrincipalName: 'John.Doe@contoso.com' },
    'John.Doe@contoso.com.test',
  ],
  ['Append([userPrincipalName], ".test")', {}, null],
  ['Join(", ", "", [surname], [givenName])', { givenName: 'John', surname: 'Doe' }, 'Doe, John'],
  ['Join(";", [proxies], [mail])', { proxies: ['a', 'b'], mail: 'c' }, 'a;b;c'],
  ['Join("", 1000, [x])', { x: '42' }, '100042'],
  ['Join(" ", [a], [b])', {}, ''],
  ['Left("John Doe", 3)', {}, 'Joh'],
  ['Left([s], 0)', { s: 'John' }, ''],
  ['Left([s], -1)', { s: 'John' }, 'John'],
  ['Left([s], 10)', { s: 'John' }, 'John'],
  ['Left([s], 2)', {}, ''],
  ['Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))', { givenName: 'John', surname: 'Doe' }, 'JohDoe'],
  ['Mid([s], 3, 100)', { s: 'abcdef' }, 'cdef'],
  ['Mid([s], 2, "2")', { s: 'abcdef' }, 'bc'],
  ['Mid([s], 1, 1)', {}, null],
  ['Word("The quick brown fox",3," ")', {}, 'brown'],
  ['Word("This,string!has&many separators",3,",!&#")', {}, 'has'],
  ['Word("a  b", 2, " ")', {}, 'b'],
  ['Word("a b", 3, " ")', {}, ''],
  ['Word("a b", 0, " ")', {}, ''],
  ['Word([s], 1, " ")', {}, ''],
])

table('ToLower, ToUpper, Trim, StripSpaces, NormalizeDiacritics', [
  [
    'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))',
    { PreferredFirstName: 'John', PreferredLastName: 'Smith' },
    'john.smith@contoso.com',
  ],
  ['ToUpper([s])', { s: 'straße' }, 'STRASSE'],
  ['ToLower([s], "tr-TR")', { s: 'İSTANBUL' }, 'istanbul'],
  ['ToUpper([s], "tr-TR")', { s: 'i' }, 'İ'],
  ['ToLower([s])', {}, null],
  ['Trim([s])', { s: '  Ada  ' }, 'Ada'],
  ['StripSpaces([s])', { s: ' Mary Ann\tLee ' }, 'MaryAnn\tLee'],
  ['NormalizeDiacritics([givenName])', { givenName: 'Zoë' }, 'Zoe'],
  [
    'NormalizeDiacritics([s])',
    { s: 'Åsa Ærø Straße Łódź Çelik Ğüneş İpek ıdil' },
    'Asa AEroe Strasse Lodz Celik Gunes Ipek idil',
  ],
  ['NormalizeDiacritics([s])', { s: 'ǣ Œuvre François Dvořák' }, 'ae OEuvre Francois Dvorak'],
])

table('Replace (literal and template forms)', [
  [
    'Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )',
    { BusinessTitle: 'Product Developer' },
    'Software Engineer',
  ],
  [
    'Replace([UserID],"<username>", , , , , "<username>@contoso.com")',
    { UserID: 'jsmith' },
    'jsmith@contoso.com',
  ],
  ['Replace([mail], "@contoso.com", , ,"", ,)', { mail: 'john.doe@contoso.com' }, 'john.doe'],
  ['Replace([s], "a", , , "b", , )', { s: 'banana' }, 'bbnbnb'],
  // Case-sensitive, as documented.
  ['Replace([s], "A", , , "b", , )', { s: 'banana' }, 'banana'],
  ['Replace([s], "a", , , "b", , )', {}, null],
])

table('Split, RemoveDuplicates, Item, Count, CStr', [
  [
    'Split([extensionAttribute5], ",")',
    { extensionAttribute5: 'PermissionSetOne,PermissionSetTwo' },
    ['PermissionSetOne', 'PermissionSetTwo'],
  ],
  ['Split([s], ",")', {}, null],
  ['RemoveDuplicates([proxyAddresses])', { proxyAddresses: ['a', 'b', 'a', 'c', 'b'] }, ['a', 'b', 'c']],
  ['RemoveDuplicates(Split([s], ";"))', { s: 'x;y;x' }, ['x', 'y']],
  ['Item([proxyAddresses], 1)', { proxyAddresses: ['smtp:a', 'smtp:b'] }, 'smtp:a'],
  ['Item([proxyAddresses], 3)', { proxyAddresses: ['smtp:a', 'smtp:b'] }, null],
  ['Count([proxyAddresses])', { proxyAddresses: ['a', 'b'] }, 2],
  ['Count([proxyAddresses])', {}, 0],
  ['CStr([dn])', { dn: 'cn=Joe,dc=contoso,dc=com' }, 'cn=Joe,dc=contoso,dc=com'],
  ['CStr([b])', { b: true }, 'True'],
  ['CStr([n])', { n: 42 }, '42'],
  ['CStr([n])', {}, null],
])

table('FormatDateTime', [
  [
    'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    { extensionAttribute1: '20150123105347.1Z' },
    '2015-01-23',
  ],
  [
    'FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd")',
    { ContractEndDate: '2020-12-31-08:00' },
    '2020-12-31',
  ],
  [
    'FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")',
    { endDate: '3/7/2021 01:05:09 PM' },
    '2021-03-07',
  ],
  [
    'FormatDateTime([d], , "M/d/yyyy h:mm:ss tt", "yyyy-MM-ddTHH:mm:ss")',
    { d: '3/7/2021 1:05:09 PM' },
    '2021-03-07T13:05:09',
  ],
  ['FormatDateTime([d], , "yyyy-MM-dd", "dd MMM yyyy")', { d: '2024-02-29' }, '29 Feb 2024'],
  [
    'FormatDateTime([d], , "yyyy-MM-ddzzz", "yyyy-MM-dd\'T\'HH:mmK")',
    { d: '2024-02-29+05:30' },
    '2024-02-29T00:00+05:30',
  ],
  ['FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd")', {}, null],
])

table('IgnoreFlowIfNullOrEmpty and SelectUniqueValue', [
  ['IgnoreFlowIfNullOrEmpty([department])', {}, 'dropped'],
  ['IgnoreFlowIfNullOrEmpty([department])', { department: '' }, 'dropped'],
  ['IgnoreFlowIfNullOrEmpty([department])', { department: 'Sales' }, 'Sales'],
  [
    'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    { prefix: '9999' },
    'dropped',
  ],
  [
    'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    { prefix: '3444' },
    'Prof.',
  ],
  [
    'SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"))',
    { PreferredFirstName: 'John', PreferredLastName: 'Smith' },
    'John.Smith@contoso.com',
  ],
  ['SelectUniqueValue([a], [b])', { b: 'second' }, 'second'],
])

table('InStr, PCase, BitAnd and the encodings (Microsoft examples)', [
  ['InStr("The quick brown fox","quick")', {}, 5],
  ['InStr("repEated","e",3,vbBinaryCompare)', {}, 7],
  ['InStr("repEated","e",3,vbTextCompare)', {}, 4],
  ['InStr([s], "x")', { s: 'abc' }, 0],
  ['InStr([s], "x")', {}, 0],
  ['PCase([firstName])', { firstName: 'PABLO GONSALVES (SECOND)' }, 'Pablo Gonsalves (Second)'],
  ['PCase([lastName]," \'-")', { lastName: "PINTO-DE'SILVA" }, "Pinto-De'Silva"],
  ['PCase(Join(" ",[firstName],[lastName]))', { firstName: 'GREGORY', lastName: 'JAMES' }, 'Gregory James'],
  ['PCase([s], " ")', { s: "anne-marie o'neil" }, "Anne-marie O'neil"],
  ['BitAnd(&HF, &HF7)', {}, 7],
  ['BitAnd([uac], 2)', { uac: 514 }, 2],
  ['BitAnd([uac], 2)', { uac: '512' }, 0],
  ['ConvertToBase64("Hello world!")', {}, 'SABlAGwAbABvACAAdwBvAHIAbABkACEA'],
  ['ConvertToUTF8Hex("Hello world!")', {}, '48656C6C6F20776F726C6421'],
  ['ConvertToUTF8Hex([s])', {}, null],
])
