// The window's language: one catalogue of strings per language (ui/i18n/<tag>.js), chosen from the
// listener's setting or else the system's language, with English for anything a catalogue lacks.
// Static text in index.html names its string with data-i18n (text) or data-i18n-attr
// ("title:key;aria-label:key"); code asks t(key, params). Numbers, dates and sorting follow the
// language through Intl. Adding a language is one new catalogue file, listed in ui/i18n/languages.js.

let strings = {};
let fallback = {};
let current = 'en';
let languages = [{ tag: 'en', name: 'English' }];

/** A catalogue module (ui/i18n/<tag>.js): modules load as the app's own scripts do, which the
 *  window's security policy allows, where fetching a file would need more. */
async function catalogue(tag) {
  return (await import(`../i18n/${tag}.js`)).default;
}

/** The languages there are catalogues for: [{tag, name}]. */
export function availableLanguages() {
  return languages;
}

/** The language in use (a tag such as "ko"). */
export function language() {
  return current;
}

/** The best catalogue for `wanted` (a setting, or null) and the system's `preferred` tags. */
export function pickLanguage(wanted, preferred, tags) {
  const candidates = [wanted, ...preferred].filter(Boolean).map((t) => t.toLowerCase());
  for (const tag of candidates) {
    if (tags.includes(tag)) return tag;
    const base = tag.split('-')[0];
    if (tags.includes(base)) return base;
  }
  return 'en';
}

/** Loads the catalogue for the setting `wanted` (null: the system's language) and applies it. */
export async function setLanguage(wanted) {
  try {
    languages = await catalogue('languages');
    if (!Object.keys(fallback).length) fallback = await catalogue('en');
    // Only a listed tag is ever loaded.
    const tag = pickLanguage(wanted, navigator.languages || [navigator.language], languages.map((l) => l.tag));
    strings = tag === 'en' ? fallback : await catalogue(tag);
    current = tag;
  } catch (e) {
    console.warn(`language: ${e}`); // the English in the page stays
    strings = fallback;
    current = 'en';
  }
  document.documentElement.lang = current;
  translate(document);
  return current;
}

/** The string `key` with `{name}` replaced from `params`; `{n}`-counted strings pick their plural
 *  form ({"one": …, "other": …}) by the language's rules. */
export function t(key, params = {}) {
  let value = strings[key] ?? fallback[key];
  if (value === undefined) {
    console.warn(`language: no string ${key}`);
    return key;
  }
  if (typeof value === 'object') {
    const form = intl(Intl.PluralRules).select(Number(params.n ?? 0));
    value = value[form] ?? value.other;
  }
  return value.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const v = params[name];
    return typeof v === 'number' ? formatNumber(v) : String(v);
  });
}

/** The string `key` if a catalogue has it, else `otherwise` (for names that may have none: the
 *  audio model's tag labels). */
export function tOr(key, otherwise) {
  return key in strings || key in fallback ? t(key) : otherwise;
}

/** Text and attributes of every element under `root` that names a string. */
export function translate(root) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) node.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

const formatters = new Map();

/** One Intl formatter per kind, language and options: making one costs more than using it, and
 *  lists format a number or date per row. */
function intl(Kind, options) {
  const key = `${Kind.name} ${current} ${JSON.stringify(options ?? {})}`;
  if (!formatters.has(key)) formatters.set(key, new Kind(current, options));
  return formatters.get(key);
}

export function formatNumber(n, options) {
  return intl(Intl.NumberFormat, options).format(n);
}

/** A date (a Date) in the language's form; `options` as Intl.DateTimeFormat's. */
export function formatDate(date, options) {
  return intl(Intl.DateTimeFormat, options).format(date);
}

// English articles only, as the library's own sort (src/library/sort_name.rs).
const ARTICLES = /^(the|a|an)\s+(?=\S)/i;

/** How a name sorts: leading articles of Latin-script names set aside ("The Beatles" under B). */
export function sortKey(name) {
  return (name || '').trim().replace(ARTICLES, '');
}

/** Compares names by the language's collation (가나다 in order), articles set aside. */
export function compareNames(a, b) {
  return intl(Intl.Collator, { sensitivity: 'base', numeric: true }).compare(sortKey(a), sortKey(b));
}

const templates = new Map();

/** Patterns of the English strings under `group` ("reason."), longest literal text first. */
function patternsOf(group) {
  if (!templates.has(group)) {
    const list = Object.entries(fallback)
      .filter(([key, value]) => key.startsWith(group) && typeof value === 'string')
      .map(([key, value]) => {
        const names = [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const literal = value.replace(/\{\w+\}/g, '');
        const source = value.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.+?)');
        return { key, names, literal: literal.length, regex: new RegExp(`^${source}$`) };
      })
      .sort((a, b) => b.literal - a.literal);
    templates.set(group, list);
  }
  return templates.get(group);
}

/** Text the core wrote in English from one of the templates under `group` (its reasons: "because
 *  you played X"), said in the window's language; text that fits none is shown as it is. */
export function localise(text, group) {
  if (!text || current === 'en') return text;
  for (const { key, names, regex } of patternsOf(group)) {
    const match = regex.exec(text);
    if (!match) continue;
    const params = {};
    names.forEach((name, i) => {
      const value = match[i + 1];
      params[name] = /^\d+$/.test(value) ? Number(value) : localise(value, 'ago.');
    });
    return t(key, params);
  }
  return text;
}
