import { describe, expect, it } from 'vitest';
import { applicantProgress, type ProgressFacts } from './applicant-progress.js';

const at = (hour: number) => new Date(Date.UTC(2026, 10, 30, hour));
const window = { code: 'window', name: '综合窗口' };
const fire = { code: 'fire', name: '消防救援支队' };
const planning = { code: 'planning', name: '规划局' };

const running: ProgressFacts = {
  status: 'running',
  createdAt: at(1),
  completedAt: null,
  tasks: [
    { title: '受理审查 Acceptance check', department: window, status: 'completed', openedAt: at(1), dueAt: at(9), completedAt: at(2) },
    { title: '消防设计审查 Fire protection review', department: fire, status: 'claimed', openedAt: at(2), dueAt: at(20), completedAt: null },
    { title: '规划审查 Planning review', department: planning, status: 'open', openedAt: at(2), dueAt: at(20), completedAt: null },
    { title: '规划审查 Planning review (cancelled)', department: planning, status: 'cancelled', openedAt: at(2), dueAt: at(20), completedAt: null },
  ],
  opinions: [
    { department: window, outcome: 'approve', text: '材料齐全，予以受理', visibility: 'public', createdAt: at(2) },
    { department: fire, outcome: 'approve', text: 'INTERNAL: 消防通道宽度临界', visibility: 'internal', createdAt: at(3) },
  ],
  supplementRequests: [],
};

describe('what the applicant reads of their case (进度查询)', () => {
  it('the steps under way, the departments awaited, and public opinions only', () => {
    const seen = applicantProgress(running);
    expect(seen.currentSteps.map((s) => s.department.code)).toEqual(['fire', 'planning']);
    expect(seen.awaited).toEqual({ party: 'departments', departments: [fire, planning] });
    expect(seen.opinions.map((o) => o.text)).toEqual(['材料齐全，予以受理']);
    expect(JSON.stringify(seen)).not.toContain('INTERNAL');
    expect(seen.milestones.map((m) => m.kind)).toEqual(['accepted', 'step-done']);
  });

  it('a supplement request still unanswered: the case waits for the applicant, with every material asked for', () => {
    const materials = [{ name: '施工合同 Construction contract', reason: '缺少盖章页' }];
    const seen = applicantProgress({ ...running, supplementRequests: [{ materials, requestedAt: at(4), answeredAt: null }] });
    expect(seen.awaited).toEqual({ party: 'applicant', materials, requestedAt: at(4) });
    const answered = applicantProgress({ ...running, supplementRequests: [{ materials, requestedAt: at(4), answeredAt: at(6) }] });
    expect(answered.awaited.party).toBe('departments');
    expect(answered.milestones.map((m) => m.kind)).toEqual(['accepted', 'step-done', 'supplement-requested', 'supplement-received']);
  });

  it('an ended case awaits nobody, has no step under way and says how it ended', () => {
    const seen = applicantProgress({ ...running, status: 'approved', completedAt: at(10) });
    expect(seen.currentSteps).toEqual([]);
    expect(seen.awaited).toEqual({ party: 'nobody' });
    expect(seen.milestones.at(-1)).toEqual({ kind: 'ended', at: at(10), status: 'approved' });
  });
});
