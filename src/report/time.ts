/** RFC 3339 with whole seconds, the way `metav1.Time` serialises. */
export function rfc3339(t: Date | number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
