import { describe, expect, it } from 'vitest';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import spec from '../../../docs/openapi.json?raw';
import checkedIn from './api-schema.d.ts?raw';

// api-schema.d.ts is generated from docs/openapi.json (`npm run gen-api`,
// also run by `npm run build`) and checked in, so that the UI type-checks
// against the API the C++ side describes. This fails when the spec changed
// and the file was not generated again.
describe('the generated API types', () => {
  it('are those of docs/openapi.json as it is now', async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(JSON.parse(spec)));
    expect(checkedIn === generated, 'src/app/api-schema.d.ts is stale: run `npm run gen-api` in web/').toBe(true);
  }, 30000);
});
