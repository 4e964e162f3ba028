import type { LinkSigner } from '../http/signed-links';
import type { Download } from '../server';
import { attendeesCsv, csvPath, icsPath, workshopIcs } from './workshop-exports';
import type { WorkshopStore } from './workshop-store';

const FORBIDDEN: Download = { status: 403, contentType: 'application/json', body: JSON.stringify({ message: 'Länken är ogiltig eller har gått ut.' }) };
const NOT_FOUND: Download = { status: 404, contentType: 'application/json', body: JSON.stringify({ message: 'Det finns ingen sådan fil.' }) };

/** GET /exports/workshops/:id/(deltagare.csv|workshop.ics): only with a valid, unexpired signature. */
export function workshopDownloads(workshops: WorkshopStore, signer: LinkSigner, now: () => Date = () => new Date()) {
  return async (path: string, query: Record<string, unknown>): Promise<Download | undefined> => {
    const match = path.match(/^\/exports\/workshops\/(\d{1,12})\/(deltagare\.csv|workshop\.ics)$/);
    if (!match) return undefined;
    const id = Number(match[1]);
    const expected = match[2] === 'deltagare.csv' ? csvPath(id) : icsPath(id);
    if (!signer.verify(expected, query.exp, query.sig, now())) return FORBIDDEN;
    const workshop = await workshops.get(id);
    if (!workshop) return NOT_FOUND;
    if (match[2] === 'deltagare.csv') {
      return { status: 200, contentType: 'text/csv; charset=utf-8', filename: `deltagare-workshop-${id}.csv`, body: attendeesCsv(await workshops.registrations(id)) };
    }
    return { status: 200, contentType: 'text/calendar; charset=utf-8', filename: `workshop-${id}.ics`, body: workshopIcs(workshop) };
  };
}
