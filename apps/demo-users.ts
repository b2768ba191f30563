import type { Actor, Role } from '../engine/access/actor.js';
import { departmentCode, userId } from '../engine/ids.js';
import type { Sql } from '../db/connection.js';
import { addUsers } from '../db/reference-data.js';

export interface DemoUser {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  readonly roles: readonly Role[];
}

const reviewers = [
  'housing',
  'planning',
  'ecology',
  'fire',
  'civil-air-defence',
  'water',
  'market',
  'police',
  'tax',
  'social-insurance',
  'housing-fund',
  'urban-management',
  'traffic-police',
  'municipal-roads',
];

/**
 * One person per job in every department the shipped processes use: `<department>.handler` and
 * `<department>.lead`, the intake clerk at the window, the named signers (two deputy directors, five experts), a
 * supervisor, a process designer and an administrator.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'window.clerk', name: '王芳 Wang Fang (综合窗口)', departmentCode: 'window', roles: ['intake_clerk'] },
  ...reviewers.flatMap((dept): DemoUser[] => [
    { id: `${dept}.handler`, name: `${dept} handler (承办人)`, departmentCode: dept, roles: ['handler'] },
    { id: `${dept}.lead`, name: `${dept} lead (负责人)`, departmentCode: dept, roles: ['lead'] },
  ]),
  // The two deputy directors who sign a road occupation permit (或签), and the five experts of the EIA panel (票签).
  { id: 'urban-management.deputy-a', name: '刘洋 Liu Yang (分管副局长)', departmentCode: 'urban-management', roles: ['lead'] },
  { id: 'urban-management.deputy-b', name: '孙丽 Sun Li (分管副局长)', departmentCode: 'urban-management', roles: ['lead'] },
  ...[1, 2, 3, 4, 5].map((n): DemoUser => ({ id: `expert-panel.expert-${n}`, name: `评审专家 Expert ${n}`, departmentCode: 'expert-panel', roles: ['handler'] })),
  { id: 'supervisor', name: '赵敏 Zhao Min (督办)', departmentCode: 'supervision', roles: ['supervisor'] },
  { id: 'designer', name: '陈杰 Chen Jie (流程设计)', departmentCode: 'city', roles: ['designer'] },
  { id: 'admin', name: '系统管理员 Administrator', departmentCode: 'city', roles: ['admin'] },
];

export function demoActor(id: string): Actor {
  const user = DEMO_USERS.find((u) => u.id === id);
  if (!user) throw new TypeError(`No demo user ${id}`);
  return { userId: userId(user.id), departmentCode: departmentCode(user.departmentCode), roles: user.roles };
}

/** Inserts the demo users (idempotent). */
export async function installDemoUsers(sql: Sql): Promise<void> {
  await addUsers(sql, DEMO_USERS);
}
