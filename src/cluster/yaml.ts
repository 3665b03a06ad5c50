/**
 * A YAML writer for the one shape we emit (a Kubernetes Job: maps, lists, strings, numbers,
 * booleans). Hand-written rather than a package because no YAML library is a runtime dependency
 * and this needs none of YAML's hard parts: every string is written as a JSON string, which is a
 * valid YAML double-quoted scalar, so no value can be misread (`"no"`, `"1"`, `"a: b"` stay strings).
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

const scalar = (v: string | number | boolean | null): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const isScalar = (v: YamlValue): v is string | number | boolean | null => v === null || typeof v !== 'object';
/** Keys are ours (Kubernetes field names), but quote any that are not plain words. */
const key = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(k) ? k : JSON.stringify(k));

function lines(v: YamlValue, pad: string): string[] {
  if (isScalar(v)) return [`${pad}${scalar(v)}`];
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${pad}[]`];
    return v.flatMap((item) => {
      if (isScalar(item)) return [`${pad}- ${scalar(item)}`];
      const inner = lines(item, `${pad}  `);
      // The first line of a nested block goes on the dash's line: "- name: x".
      return [`${pad}- ${inner[0]!.slice(pad.length + 2)}`, ...inner.slice(1)];
    });
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return [`${pad}{}`];
  return entries.flatMap(([k, val]) => {
    if (isScalar(val) || (Array.isArray(val) && val.length === 0) || (!Array.isArray(val) && Object.keys(val).length === 0)) {
      return [`${pad}${key(k)}: ${lines(val, '')[0]!}`];
    }
    return [`${pad}${key(k)}:`, ...lines(val, `${pad}  `)];
  });
}

export function toYaml(v: YamlValue): string {
  return `${lines(v, '').join('\n')}\n`;
}
