import { isDeepStrictEqual } from 'node:util'
import { badRequest } from '../errors.js'
import { evaluateElementFilter } from '../filter/evaluate.js'
import {
  coerceAttributeValue,
  coerceSubAttributes,
  invalidValue,
  isAbsent,
  isReference,
  isWritable,
} from '../resource/coerce.js'
import { cloneJson, isPlainObject, type Json, jsonType } from '../resource/json.js'
import { findSubAttribute } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'
import {
  appendElements,
  asElements,
  clearOtherPrimaries,
  noTarget,
  removeListedElements,
  templateFromFilter,
  toElementList,
} from './elements.js'
import type { PatchOpName } from './parse-patch-request.js'
import { type AttributeTarget, readTarget, writeTarget } from './patch-target.js'

/**
 * One PATCH operation on one attribute (RFC 7644 §3.5.2 plus the Entra dialect of entra-scim.md
 * §3.5). Values go through coerce.ts, so PATCH accepts exactly what POST accepts; `null`, `""` and
 * `{"value":""}` mean "remove". Mutates `resource`, which apply-patch.ts owns (a deep clone).
 */
export function updateAttribute(
  resource: Json,
  op: PatchOpName,
  target: AttributeTarget,
  value: unknown,
  hasValue: boolean,
): void {
  const current = cloneJson(readTarget(resource, target))
  const next = target.filter
    ? updateFiltered(op, target, current, value)
    : target.sub
      ? updateSub(op, target, target.sub, current, value)
      : updateWhole(op, target, current, value, hasValue)
  const { attribute } = target
  // RFC 7644 §3.5.2: an immutable attribute may be set once, never changed.
  if (attribute.mutability === 'immutable' && current !== undefined && !isDeepStrictEqual(current, next)) {
    throw badRequest('mutability', `path "${target.text}": attribute is immutable`)
  }
  writeTarget(resource, target, next)
}

function updateWhole(
  op: PatchOpName,
  target: AttributeTarget,
  current: unknown,
  value: unknown,
  hasValue: boolean,
): unknown {
  const { attribute, text } = target
  if (op === 'remove') {
    if (attribute.multiValued && hasValue && !isAbsent(value)) {
      return removeListedElements(asElements(current), value, attribute, text)
    }
    return undefined
  }
  if (isAbsent(value)) return undefined
  if (attribute.multiValued) {
    const elements = asElements(coerceAttributeValue(toElementList(value, attribute), attribute, text))
    return op === 'replace' ? elements : appendElements(asElements(current), elements, attribute)
  }
  // A reference (manager) is replaced as a whole; other complex attributes merge sub-attributes.
  if (attribute.type === 'complex' && !isReference(attribute))
    return mergeComplex(current, value, attribute, text)
  return coerceAttributeValue(value, attribute, text)
}

function mergeComplex(
  current: unknown,
  value: unknown,
  attribute: AttributeDefinition,
  text: string,
): unknown {
  if (!isPlainObject(value)) throw invalidValue(text, `expected an object, got ${jsonType(value)}`)
  const result: Json = isPlainObject(current) ? current : {}
  for (const [key, raw] of Object.entries(value)) {
    const sub = findSubAttribute(attribute, key)
    // Like POST: unknown and readOnly sub-attributes inside a value are ignored.
    if (sub && isWritable(sub)) setSub(result, sub, 'replace', raw, `${text}.${sub.name}`)
  }
  return nonEmpty(result)
}

/** `name.givenName`, `manager.value`; on a multi-valued attribute (`emails.type`) every element. */
function updateSub(
  op: PatchOpName,
  target: AttributeTarget,
  sub: AttributeDefinition,
  current: unknown,
  value: unknown,
): unknown {
  if (!target.attribute.multiValued) {
    const result: Json = isPlainObject(current) ? current : {}
    setSub(result, sub, op, value, target.text)
    return nonEmpty(result)
  }
  const elements = asElements(current)
  if (elements.length === 0) {
    // RFC 7644 §3.5.2.3: replacing a missing attribute adds it.
    const created: Json = {}
    if (op !== 'remove') setSub(created, sub, op, value, target.text)
    return nonEmpty(created) && [created]
  }
  for (const element of elements) if (isPlainObject(element)) setSub(element, sub, op, value, target.text)
  return elements
}

/** `emails[type eq "work"].value`, `addresses[type eq "work"]`, `manager[value eq "id"]`. */
function updateFiltered(op: PatchOpName, target: AttributeTarget, current: unknown, value: unknown): unknown {
  const { attribute, filter, sub, text } = target
  const single = !attribute.multiValued
  const elements = single ? (isPlainObject(current) ? [current] : []) : asElements(current)
  const matches = elements.filter(
    (element): element is Json =>
      isPlainObject(element) && evaluateElementFilter(filter!, element, attribute),
  )
  let result = elements
  if (op === 'remove' || (!sub && isAbsent(value))) {
    if (sub) for (const element of matches) delete element[sub.name]
    else result = elements.filter((element) => !matches.includes(element as Json))
  } else if (sub) {
    const coerced = coerceAttributeValue(value, sub, text)
    for (const element of matches) setSub(element, sub, op, coerced, text)
    // Entra upserts: Add and Replace on a missing `work` email create it (entra-scim.md §3.5.2).
    if (matches.length === 0 && !single && coerced !== undefined) {
      const created = {
        ...(templateFromFilter(filter!, attribute, text) ?? noTarget(text)),
        [sub.name]: coerced,
      }
      result.push(created)
      matches.push(created)
    }
  } else {
    if (!isPlainObject(value)) throw invalidValue(text, `expected an object, got ${jsonType(value)}`)
    const coerced = coerceSubAttributes(value, attribute, text) ?? {}
    const template = templateFromFilter(filter!, attribute, text)
    for (const element of matches) {
      // RFC 7644 §3.5.2.3 replaces matching values; add merges into them.
      if (op === 'replace') for (const key of Object.keys(element)) delete element[key]
      Object.assign(element, op === 'replace' ? template : {}, coerced)
    }
    if (matches.length === 0 && !single) {
      const created = { ...(template ?? noTarget(text)), ...coerced }
      result.push(created)
      matches.push(created)
    }
  }
  if (single) return result[0]
  clearOtherPrimaries(result, matches)
  return result.length > 0 ? result : undefined
}

/** Sets (or, for remove and absent values, deletes) one sub-attribute of an object. */
function setSub(object: Json, sub: AttributeDefinition, op: PatchOpName, value: unknown, text: string): void {
  const coerced = op === 'remove' ? undefined : coerceAttributeValue(value, sub, text)
  if (coerced === undefined) delete object[sub.name]
  else object[sub.name] = coerced
}

function nonEmpty(object: Json): Json | undefined {
  return Object.keys(object).length > 0 ? object : undefined
}
