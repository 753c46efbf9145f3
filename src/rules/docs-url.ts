/** Where each rule's generated docs page lives in the repository. */
export function docsUrl(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
