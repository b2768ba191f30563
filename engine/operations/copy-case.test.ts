import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import type { Actor, Role } from '../access/actor.js';
import type { CopyRecipient } from '../case-copy.js';
import { CaseNotFoundError, CopyNotFoundError, InvalidCommandError, PermissionDeniedError } from '../errors.js';
import { departmentCode, userId } from '../ids.js';
import { availableMoves } from './available-moves.js';

const FIRE = actor('fire', 'handler');
const FIRE_LEAD = actor('fire', 'lead');
const WATER = actor('water', 'handler');
const TAX = actor('tax', 'handler');
const TAX_CLERK = actor('tax', 'intake_clerk', 'tax.clerk');
const SUPERVISOR = actor('supervision', 'supervisor');

const person = (department: string, id: string, roles: Role[] = ['handler']): CopyRecipient => ({ userId: userId(id), departmentCode: departmentCode(department), roles });
const office = (department: string): CopyRecipient => ({ departmentCode: departmentCode(department) });

/** A construction permit in joint review: fire holds an open review; tax takes no part. */
function inJointReview(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  return world;
}

const copy = (world: CaseWorld, by: Actor, recipients: CopyRecipient[], note = '请知悉 for your information') =>
  world.execute({ type: 'case.copy', actor: by, caseId: world.case.id, recipients, note });
const read = (world: CaseWorld, by: Actor, copyId: string) => world.execute({ type: 'copy.read', actor: by, copyId });
const env = (world: CaseWorld) => ({ definition: world.definition, calendar: world.calendar, now: world.clock.now() });
const copyOf = (world: CaseWorld, recipient: string) => {
  const found = [...world.copies.values()].find((c) => c.recipientUser === recipient || c.recipientDepartment === recipient);
  if (!found) throw new Error(`No copy to ${recipient}`);
  return found;
};

describe('copying a case (抄送)', () => {
  it('one copy per recipient, each recipient department told, audited with the recipients; the version stays', () => {
    const world = inJointReview();
    const version = world.case.version;
    const result = copy(world, FIRE, [office('tax'), person('market', 'market.handler')]);
    expect(result).toMatchObject({ changed: true, version });
    expect([...world.copies.values()]).toEqual([
      expect.objectContaining({ caseId: world.case.id, sentBy: 'fire.handler', sentByDepartment: 'fire', recipientUser: null, recipientDepartment: 'tax', note: '请知悉 for your information', readAt: null }),
      expect.objectContaining({ recipientUser: 'market.handler', recipientDepartment: null, readAt: null }),
    ]);
    expect(world.notifications.slice(-2)).toEqual([
      expect.objectContaining({ audience: { departmentCode: 'tax' }, template: 'case.copied', data: expect.objectContaining({ recipients: [{ departmentCode: 'tax' }], by: 'fire.handler' }) }),
      expect.objectContaining({ audience: { departmentCode: 'market' }, template: 'case.copied', data: expect.objectContaining({ recipients: [{ userId: 'market.handler' }] }) }),
    ]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'case.copied', actorId: 'fire.handler', data: { recipients: [{ departmentCode: 'tax' }, { userId: 'market.handler' }], note: '请知悉 for your information' } });
  });

  it('skips a recipient who has an unread copy already, or is named twice; all skipped changes nothing; once read, a new copy goes', () => {
    const world = inJointReview();
    copy(world, FIRE, [office('tax')]);
    copy(world, FIRE_LEAD, [office('tax'), office('water'), office('water')]);
    expect([...world.copies.values()].map((c) => c.recipientDepartment)).toEqual(['tax', 'water']);
    expect(world.decide({ type: 'case.copy', actor: FIRE, caseId: world.case.id, recipients: [office('tax')], note: '' })).toMatchObject({ commit: null, result: { changed: false } });
    read(world, TAX, copyOf(world, 'tax').id);
    copy(world, FIRE, [office('tax')]);
    expect([...world.copies.values()].filter((c) => c.recipientDepartment === 'tax')).toHaveLength(2);
  });

  it('a decided case may be copied too, and a supervisor copies any case', () => {
    const world = inJointReview();
    copy(world, SUPERVISOR, [office('tax')]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'case.copied', actorId: 'supervision.supervisor' });
    world.execute({ type: 'case.withdraw', actor: actor('window', 'intake_clerk', 'window.clerk'), caseId: world.case.id, reason: '申请人撤回' });
    expect(world.case.status).toBe('withdrawn');
    copy(world, actor('housing', 'lead'), [office('water')]);
    expect(copyOf(world, 'water').sentByDepartment).toBe('housing');
  });

  it.each([
    ['to oneself', FIRE, [person('fire', 'fire.handler')], InvalidCommandError],
    ['to one’s own department', FIRE, [office('fire')], InvalidCommandError],
    ['to a person whose roles read no copies', FIRE, [person('market', 'market.system', ['department_system'])], InvalidCommandError],
    ['to nobody', FIRE, [], InvalidCommandError],
    ['too many at once', FIRE, Array.from({ length: 51 }, (_, i) => person('market', `market.person${i}`)), InvalidCommandError],
    ['by a department outside the case', TAX, [office('water')], CaseNotFoundError],
    ['by a department system', actor('fire', 'department_system'), [office('tax')], PermissionDeniedError],
    ['by a designer', actor('fire', 'designer'), [office('tax')], PermissionDeniedError],
  ])('%s: refused, nothing written', (_, by, recipients, error) => {
    const world = inJointReview();
    expectRefused(world, () => copy(world, by, recipients), error);
  });

  it('a note too long: refused, nothing written', () => {
    const world = inJointReview();
    expectRefused(world, () => copy(world, FIRE, [office('tax')], 'x'.repeat(2001)), InvalidCommandError);
  });

  it('a recipient reads the case but passes no copy on: they do not take part', () => {
    const world = inJointReview();
    copy(world, FIRE, [office('tax')]);
    expectRefused(world, () => copy(world, TAX, [office('water')]), CaseNotFoundError);
  });
});

describe('marking a copy read (已阅)', () => {
  it('its department’s person marks it read once: when and by whom kept; audited; the version stays; a second read changes nothing', () => {
    const world = inJointReview();
    copy(world, FIRE, [office('tax')]);
    const { id } = copyOf(world, 'tax');
    world.clock.set(new Date(world.clock.now().getTime() + 3_600_000));
    const version = world.case.version;
    expect(read(world, TAX_CLERK, id)).toMatchObject({ changed: true, version });
    expect(world.copies.get(id)).toMatchObject({ readAt: world.clock.now(), readBy: 'tax.clerk' });
    expect(world.audit.at(-1)).toMatchObject({ type: 'copy.read', actorId: 'tax.clerk', data: { copyId: id, sentBy: 'fire.handler' } });
    expect(world.decide({ type: 'copy.read', actor: TAX, copyId: id })).toMatchObject({ commit: null, result: { changed: false } });
  });

  it('a copy to a person is theirs alone; a decided case’s copy is still read', () => {
    const world = inJointReview();
    copy(world, FIRE, [person('market', 'market.handler')]);
    const { id } = copyOf(world, 'market.handler');
    expectRefused(world, () => read(world, actor('market', 'handler', 'market.other'), id), CopyNotFoundError);
    world.execute({ type: 'case.withdraw', actor: actor('window', 'intake_clerk', 'window.clerk'), caseId: world.case.id, reason: '申请人撤回' });
    read(world, actor('market', 'handler'), id);
    expect(world.copies.get(id)?.readBy).toBe('market.handler');
  });

  it.each([
    ['the sender', FIRE, CopyNotFoundError],
    ['another department', WATER, CopyNotFoundError],
    ['a department system of the recipient department', actor('tax', 'department_system'), PermissionDeniedError],
  ])('by %s: refused, nothing written', (_, by, error) => {
    const world = inJointReview();
    copy(world, FIRE, [office('tax')]);
    expectRefused(world, () => read(world, by, copyOf(world, 'tax').id), error);
  });

  it('a copy of another case is not found through this one', () => {
    const world = inJointReview();
    const other = inJointReview();
    copy(other, FIRE, [office('tax')]);
    const stray = copyOf(other, 'tax');
    world.copies.set(stray.id, stray);
    expect(() => read(world, TAX, stray.id)).toThrow(CopyNotFoundError);
  });
});

describe('what is offered', () => {
  it('participants may copy and comment; a recipient may only mark their unread copy read', () => {
    const world = inJointReview();
    const at = () => ({ case: world.case, openTasks: world.openTasks(), unreadCopies: [...world.copies.values()].filter((c) => c.readAt === null) });
    expect(availableMoves(FIRE, at(), env(world)).map((m) => m.type)).toEqual(expect.arrayContaining(['case.copy', 'case.comment']));
    copy(world, FIRE, [office('tax')]);
    const { id } = copyOf(world, 'tax');
    expect(availableMoves(TAX, at(), env(world))).toEqual([{ type: 'copy.read', copyId: id }]);
    expect(availableMoves(FIRE, at(), env(world)).some((m) => m.type === 'copy.read')).toBe(false);
    read(world, TAX, id);
    expect(availableMoves(TAX, at(), env(world))).toEqual([]);
  });
});
