/**
 * The materials (材料) a timeline event names, as a viewer who sees only some of them reads it
 * (`material-visibility.ts`): a material's name tells what the applicant handed in, which a department whose review
 * does not need it may not learn from the timeline either. The audit names materials in these events:
 *
 * - `material.read`: the download of one material (`name`) — about nothing else, so withheld whole;
 * - `case.started` and `supplement.submitted`: the materials handed in (`materials`), and at the start the licences
 *   standing in for some (`reusedLicences`, each naming its `material`);
 * - a return to the applicant (`task.returned`): the materials its supplement request asks for (`supplementRequest.materials`).
 *
 * The lists keep the materials the viewer sees; the event stays.
 */

type EventData = Readonly<Record<string, unknown>>;

/** What a viewer reads of an event's data: the materials named, only those seen; `withheld` when any was left out. */
export interface MaterialsSeen {
  readonly data: EventData;
  readonly withheld: boolean;
}

/** The download of a material: its event names the material read. */
const MATERIAL_READ = 'material.read';

/**
 * The event's data as the viewer who `sees` the materials so named reads it, or null when the event is the download
 * of a material they do not see.
 *
 * @example
 * materialsSeen('case.started', { materials: [form, contract] }, (name) => name === form); // { data: { materials: [form] }, withheld: true }
 */
export function materialsSeen(type: string, data: EventData, sees: (name: string) => boolean): MaterialsSeen | null {
  if (type === MATERIAL_READ) return sees(String(data['name'])) ? { data, withheld: false } : null;
  let leftOut = 0;
  const seen = <T>(list: readonly T[], nameOf: (item: T) => unknown): T[] =>
    list.filter((item) => {
      const visible = sees(String(nameOf(item)));
      if (!visible) leftOut += 1;
      return visible;
    });
  const { materials, reusedLicences, supplementRequest } = data;
  const request = isRecord(supplementRequest) && Array.isArray(supplementRequest['materials']) ? supplementRequest : null;
  const read: Record<string, unknown> = {
    ...data,
    ...(Array.isArray(materials) ? { materials: seen(materials, (name) => name) } : {}),
    ...(Array.isArray(reusedLicences) ? { reusedLicences: seen(reusedLicences, (reuse) => (isRecord(reuse) ? reuse['material'] : null)) } : {}),
    ...(request ? { supplementRequest: { ...request, materials: seen(request['materials'] as unknown[], (name) => name) } } : {}),
  };
  return leftOut > 0 ? { data: read, withheld: true } : { data, withheld: false };
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);
