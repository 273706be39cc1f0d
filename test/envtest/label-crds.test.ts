import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labelCrdYaml, parseLabelArgs } from './label-crds.js';

const CRD = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    controller-gen.kubebuilder.io/version: v0.19.0
  name: kustomizations.kustomize.toolkit.fluxcd.io
spec:
  group: kustomize.toolkit.fluxcd.io
`;

describe('labelCrdYaml', () => {
  it('adds the labels and keeps everything else', () => {
    const out = parse(
      labelCrdYaml(CRD, { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/version': 'v2.7.5' }),
    );
    expect(out.metadata).toEqual({
      annotations: { 'controller-gen.kubebuilder.io/version': 'v0.19.0' },
      name: 'kustomizations.kustomize.toolkit.fluxcd.io',
      labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/version': 'v2.7.5' },
    });
    expect(out.spec).toEqual({ group: 'kustomize.toolkit.fluxcd.io' });
  });

  it('overrides an existing label and keeps the others', () => {
    const once = labelCrdYaml(CRD, { a: '1', b: '2' });
    expect(parse(labelCrdYaml(once, { b: '3' })).metadata.labels).toEqual({ a: '1', b: '3' });
  });

  it('refuses a document that is not a CRD', () => {
    expect(() => labelCrdYaml('kind: Deployment\n', { a: '1' })).toThrow(/not a CustomResourceDefinition/);
  });
});

describe('parseLabelArgs', () => {
  it('splits at the first =', () => {
    expect(parseLabelArgs(['a=b', 'c=d=e', 'empty='])).toEqual({ a: 'b', c: 'd=e', empty: '' });
  });

  it('rejects arguments without a key', () => {
    expect(() => parseLabelArgs(['novalue'])).toThrow(/key=value/);
    expect(() => parseLabelArgs(['=x'])).toThrow(/key=value/);
  });
});
