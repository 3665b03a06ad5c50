/**
 * The packed bulk of a static report (src/report/pack.ts): one <script class="actlab-packed">
 * per chunk of jobs, parsed and decoded one chunk per task so that a 20 MB report never
 * blocks the page in one JSON.parse. This belongs with the static host (webview/host.ts);
 * it sits here, read by the app, until the host's typed-request rework lands.
 */
import { decodeChunk, type JobColumns } from './packed';

export function packedChunkElements(doc: Document = document): HTMLScriptElement[] {
  return [...doc.querySelectorAll<HTMLScriptElement>('script.actlab-packed')];
}

/**
 * Decodes every chunk (awaiting `yieldTask` between them, reporting progress) into its jobs'
 * columns, for the model to fold (./packedFold.ts); errors go to `onError` and that chunk is skipped.
 */
export async function loadPacked(
  chunks: readonly HTMLScriptElement[],
  yieldTask: () => Promise<void>, progress: (done: number, total: number) => void, onError: (why: string) => void,
): Promise<JobColumns[]> {
  const jobs: JobColumns[] = [];
  for (let i = 0; i < chunks.length; i++) {
    let data: unknown;
    try { data = JSON.parse(chunks[i]!.textContent ?? ''); } catch (e) { onError(`packed data is not JSON: ${(e as Error).message}`); continue; }
    const decoded = decodeChunk(data);
    if (typeof decoded === 'string') onError(decoded);
    else for (const j of decoded) jobs.push(j);
    progress(i + 1, chunks.length);
    await yieldTask();
  }
  return jobs;
}
