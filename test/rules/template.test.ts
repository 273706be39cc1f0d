import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatFloat } from '../../src/go/format.js';
import { goSprintf } from '../../src/go/sprintf.js';
import { GoMap, GoStruct, type GoValue } from '../../src/go/values.js';
import {
  ALERT_TEMPLATE_DEFS,
  checkAlertTemplate,
  compileAlertTemplate,
  compileTemplate,
  executeTemplate,
} from '../../src/rules/template/template.js';

interface Case {
  template: string;
  value: number;
  want: string;
}

const cases = parse(
  readFileSync(fileURLToPath(new URL('./cases/templates.yml', import.meta.url)), 'utf8'),
) as Case[];

const labels = {
  job: 'api',
  instance: 'host-1.example.com:9090',
  namespace: 'flux-system',
  name: 'apps',
  kind: 'Kustomization',
};

function run(template: string, value: number): string {
  const data = new GoStruct(
    'main.D',
    new Map<string, GoValue>([
      ['Labels', GoMap.ofStrings(labels)],
      ['ExternalLabels', GoMap.ofStrings({ cluster: 'c1' })],
      ['ExternalURL', 'http://prom.example.com/prefix'],
      ['Value', value],
    ]),
  );
  let tmpl;
  try {
    tmpl = compileTemplate('__alert_T', ALERT_TEMPLATE_DEFS + template);
  } catch (e) {
    return 'PARSE: ' + (e as Error).message;
  }
  try {
    return executeTemplate(tmpl, data, 'http://prom.example.com/prefix');
  } catch (e) {
    return 'EXEC: ' + (e as Error).message;
  }
}

describe('alert templates (table from Go text/template and promtool)', () => {
  it.each(cases.map((c) => [c.template, c.value, c.want] as const))(
    '%s with $value=%s',
    (template, value, want) => {
      expect(run(template, value)).toBe(want);
    },
  );
});

describe('Go float formatting', () => {
  it.each([
    [1234567, 'g', -1, '1.234567e+06'],
    [123456, 'g', -1, '123456'],
    [0.00001, 'g', -1, '1e-05'],
    [0.0001, 'g', -1, '0.0001'],
    [1e21, 'g', -1, '1e+21'],
    [Infinity, 'g', -1, '+Inf'],
    [NaN, 'g', -1, 'NaN'],
    [-2.5, 'g', -1, '-2.5'],
    [12345, 'g', 4, '1.234e+04'],
    [999.99999, 'g', 4, '1000'],
    [0.125, 'f', 2, '0.12'],
    [2.5, 'f', 0, '2'],
    [3.14159, 'e', 3, '3.142e+00'],
    [5e-324, 'g', -1, '5e-324'],
    [1.7976931348623157e308, 'g', -1, '1.7976931348623157e+308'],
  ] as const)('%s %s %s → %s', (v, f, p, want) => {
    expect(formatFloat(v, f, p)).toBe(want);
  });

  it('prints Go’s in-band errors for bad verbs, missing and extra operands', () => {
    expect(goSprintf('%d|%s|%d', [1.5, 3n, 1n, 2n])).toBe('%!d(float64=1.5)|%!s(int=3)|1%!(EXTRA int=2)');
    expect(goSprintf('%s %d', ['a'])).toBe('a %!d(MISSING)');
  });
});

describe('alert template checks and expansion', () => {
  it('reports parse errors as promtool does', () => {
    expect(checkAlertTemplate('Tmpl', '{{ $labels.job ')).toBe('template: __alert_Tmpl:1: unclosed action');
    expect(checkAlertTemplate('X', '{{ query "up" | first | value }}')).toBeUndefined();
    expect(checkAlertTemplate('X', '{{ nosuch }}')).toBe(
      'template: __alert_X:1: function "nosuch" not defined',
    );
  });

  it('turns runtime failures into <error expanding template: …>', () => {
    const out = compileAlertTemplate('T', '{{ humanize "abc" }}').expand({
      labels: {},
      externalLabels: {},
      externalURL: '',
      value: 1,
    });
    expect(out).toBe(
      '<error expanding template: error executing template __alert_T: template: __alert_T:1:115: executing "__alert_T" at <humanize "abc">: error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax>',
    );
  });

  it('rejects query with a clear message at expansion time', () => {
    const out = compileAlertTemplate('T', '{{ query "up" }}').expand({
      labels: {},
      externalLabels: {},
      externalURL: '',
      value: 1,
    });
    expect(out).toContain('query is not supported');
  });
});

// Expectations printed by Go 1.26's text/template for the same texts: constants are read with
// strconv.Unquote (strings) and strconv.UnquoteChar (characters), where a \x escape is a byte in a string
// but a code point in a character constant.
describe('string and character constants', () => {
  it.each([
    ['{{ "\\xc3\\xa9" }}', 'é'],
    ['{{ printf "%q" "\\xff" }}', '"\\xff"'],
    ["{{ '\\xff' }}", '255'],
    ["{{ '\\'' }}", '39'],
    [`{{ '"' }}`, '34'],
    ['{{ "\\ud800" }}', 'error: template: t:1: invalid syntax'],
    ["{{ '\\xc3\\xa9' }}", "error: template: t:1: malformed character constant: '\\xc3\\xa9'"],
    ["{{ '\\400' }}", 'error: template: t:1: invalid syntax'],
  ])('%s → %s', (text, want) => {
    let got: string;
    try {
      got = executeTemplate(compileTemplate('t', text), null);
    } catch (e) {
      got = `error: ${(e as Error).message}`;
    }
    expect(got).toBe(want);
  });
});
