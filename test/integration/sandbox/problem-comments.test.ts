import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, type TestSandbox } from '../../helpers/sandbox';
import { specErrors } from '../../helpers/openapi';

interface Comment { id: string; createdAtTimestamp: number; content: string; authorName: string; context: string }
interface CommentsList { totalCount: number; pageSize: number; nextPageKey?: string; comments: Comment[] }

/** Problem comments (`GET /problems/{id}/comments`, `…/comments/{commentId}`): a PAT-capable read like the others. */
describe('sandbox problem comments', () => {
  let sb: TestSandbox;
  let support: string;
  let problemId: string;
  let other: string;
  beforeAll(async () => {
    sb = createTestSandbox();
    support = await sb.mintPat(DEMO.support, ['problems.read']);
    const withComments = sb.deps.world.problems.filter((p) => (p.comments?.length ?? 0) >= 2);
    problemId = withComments[0]!.problemId;
    other = withComments[1]!.problemId;
  });

  it('pages newest first with a key bound to the problem, and recentComments agrees with the list', async () => {
    const first = await json<CommentsList>(await sb.request(`/api/v2/problems/${problemId}/comments?pageSize=1`, { token: support }));
    expect(first.comments).toHaveLength(1);
    expect(first.totalCount).toBeGreaterThanOrEqual(2);
    expect(specErrors('CommentsList', first)).toEqual([]);
    const key = encodeURIComponent(first.nextPageKey!);
    const second = await json<CommentsList>(await sb.request(`/api/v2/problems/${problemId}/comments?nextPageKey=${key}`, { token: support }));
    expect(second.comments[0]!.createdAtTimestamp).toBeLessThanOrEqual(first.comments[0]!.createdAtTimestamp);
    expect(second.comments[0]!.id).not.toBe(first.comments[0]!.id);
    // A key made for one problem's comments is refused for another's.
    expect((await sb.request(`/api/v2/problems/${other}/comments?nextPageKey=${key}`, { token: support })).status).toBe(400);
    const all = await json<CommentsList>(await sb.request(`/api/v2/problems/${problemId}/comments?pageSize=500`, { token: support }));
    expect(all).not.toHaveProperty('nextPageKey');
    const problem = await json<{ recentComments: { totalCount: number; comments: Comment[] } }>(await sb.request(`/api/v2/problems/${problemId}`, { token: support }));
    expect(problem.recentComments).toEqual({ totalCount: all.totalCount, comments: all.comments.slice(0, 5) });
    expect((await sb.request(`/api/v2/problems/${problemId}/comments?pageSize=501`, { token: support })).status).toBe(400);
  });

  it('answers one comment by id, and 404 for an unknown comment or problem', async () => {
    const all = await json<CommentsList>(await sb.request(`/api/v2/problems/${problemId}/comments`, { token: support }));
    const one = await sb.request(`/api/v2/problems/${problemId}/comments/${all.comments[0]!.id}`, { token: support });
    expect(one.status).toBe(200);
    const body = await json(one);
    expect(body).toEqual(all.comments[0]);
    expect(specErrors('Comment', body)).toEqual([]);
    expect((await sb.request(`/api/v2/problems/${problemId}/comments/1_2`, { token: support })).status).toBe(404);
    expect((await sb.request(`/api/v2/problems/1_2V2/comments`, { token: support })).status).toBe(404);
    // The comment of another problem is not this problem's.
    const others = await json<CommentsList>(await sb.request(`/api/v2/problems/${other}/comments`, { token: support }));
    expect((await sb.request(`/api/v2/problems/${problemId}/comments/${others.comments[0]!.id}`, { token: support })).status).toBe(404);
  });
});
