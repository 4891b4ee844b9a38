// The pieces of the catalogues that know nothing of any feature: the
// languages, the shape of a feature's rows, and filling in parameters.
export const LANGUAGES = ['vi', 'en', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];

// A feature's messages: one row per key keeps the three languages side by
// side, so none can be forgotten (Vietnamese first, then English, French).
export type Rows = Record<string, readonly [vi: string, en: string, fr: string]>;

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] !== undefined ? String(params[name]) : m);
}
