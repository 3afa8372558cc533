// Must NOT compile (tests/e2e/types.test.mjs expects these errors): the declarations refuse what
// the engine refuses.
import type { FileRequest, Request } from '../../schema/survkit';

export const fieldOfAnotherAnalysis: FileRequest = { analysis: 'km', time: 't', event: 'e', pairwise: true };
export const unknownAnalysis: Request = { analysis: 'kaplan', time: 't', event: 'e' };
export const missingTime: Request = { analysis: 'followup', event: 'e' };
