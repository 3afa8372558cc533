// Compiled by tests/e2e/types.test.mjs with tsc --strict against schema/survkit.d.ts: what the
// page's JavaScript sends and receives type-checks, and what the engine refuses does not.
import type { FileRequest, Report, Request, Study } from '../../schema/survkit';

export const km: FileRequest = { analysis: 'km', time: 'os_months', event: 'os_event', group: 'group', at: [12, 24] };
export const cox: Request = {
  analysis: 'cox', time: 'lfs_months', event: 'lfs_event', covariates: ['group', 'age>=40'], reference: ['group=No transplant'],
  zph: true,
};
export const study: Study = {
  survkit_study: 1,
  derived: [{ kind: 'cut', name: 'age_group', from: 'age', breaks: [40] }],
  analyses: [{ title: 'OS', request: { analysis: 'logrank', time: 'os_months', event: 'os_event', group: 'group', adjust: 'holm' } }],
};

export function analysisOf(report: Report): string {
  return report.analysis;
}
