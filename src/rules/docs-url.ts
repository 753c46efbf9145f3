/**
 * Where a rule's documentation page is published: the generated page in the
 * repository (docs/rules/<id>.md). Reports link to it (SARIF helpUri, LSP
 * codeDescription, markdown tables), so it lives in one place.
 */
export const REPOSITORY_URL = 'https://github.com/mountlint/mountlint';

export function docsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}
