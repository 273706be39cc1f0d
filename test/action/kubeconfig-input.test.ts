/** The `kubeconfig` input's two shapes: YAML as written, or base64 of it. */
import { describe, expect, it } from 'vitest';
import { kubeconfigText } from '../../src/action/inputs.js';

const YAML = 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('kubeconfigText', () => {
  it.each([
    ['YAML is taken as written', YAML, YAML],
    ['base64 of YAML is decoded', b64(YAML), YAML],
    [
      'base64 wrapped at 76 columns, as `base64` prints it',
      b64(YAML.repeat(5)).replace(/(.{76})/g, '$1\n'),
      YAML.repeat(5),
    ],
    ['base64 of something else is left alone', b64('hello world'), b64('hello world')],
    ['a word that happens to be base64 is left alone', 'abcd', 'abcd'],
    ['empty stays empty', '', ''],
    ['not base64 at all', 'not: base64', 'not: base64'],
  ])('%s', (_name, input, expected) => {
    expect(kubeconfigText(input)).toBe(expected);
  });
});
