// The package ships a UMD bundle as `main`: Node's ESM sees only its default export.
import chineseDays from 'chinese-days';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { CalendarData } from '../engine/working-calendar.js';
import { shippedDefinitions, shippedServiceItems } from '../workflows/index.js';
import type { Sql } from './connection.js';
import type { PgCatalog } from './pg-catalog.js';
import { calendars, departments, serviceItems } from './schema/index.js';

/** The departments the shipped processes route work to (a city under a province). */
export const SHIPPED_DEPARTMENTS: readonly { code: string; name: string; parentCode: string | null }[] = [
  { code: 'province', name: '省人民政府 Provincial government', parentCode: null },
  { code: 'city', name: '市人民政府 City government', parentCode: 'province' },
  { code: 'window', name: '政务服务中心综合窗口 Service centre window', parentCode: 'city' },
  { code: 'housing', name: '住房和城乡建设局 Housing and construction', parentCode: 'city' },
  { code: 'planning', name: '自然资源和规划局 Natural resources and planning', parentCode: 'city' },
  { code: 'ecology', name: '生态环境局 Ecology and environment', parentCode: 'city' },
  { code: 'fire', name: '消防救援支队 Fire and rescue', parentCode: 'city' },
  { code: 'civil-air-defence', name: '人民防空办公室 Civil air defence', parentCode: 'city' },
  { code: 'water', name: '水务局 Water', parentCode: 'city' },
  { code: 'market', name: '市场监督管理局 Market regulation', parentCode: 'city' },
  { code: 'police', name: '公安局 Public security', parentCode: 'city' },
  { code: 'tax', name: '税务局 Taxation', parentCode: 'city' },
  { code: 'social-insurance', name: '社会保险事业局 Social insurance', parentCode: 'city' },
  { code: 'housing-fund', name: '住房公积金管理中心 Housing fund', parentCode: 'city' },
  { code: 'supervision', name: '效能监察办公室 Performance supervision', parentCode: 'city' },
];

/**
 * Mainland China's working calendar for the years the `chinese-days` package knows (it follows the State
 * Council's yearly holiday notices): weekday holidays and weekend make-up working days (调休).
 */
export function chinaCalendar(fromYear: number, toYear: number): CalendarData & { holidays: string[]; makeUpWorkdays: string[] } {
  const holidays: string[] = [];
  const makeUpWorkdays: string[] = [];
  for (let day = Date.UTC(fromYear, 0, 1); day < Date.UTC(toYear + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day);
    const iso = date.toISOString().slice(0, 10);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const { work } = chineseDays.getDayDetail(iso);
    if (!weekend && !work) holidays.push(iso);
    if (weekend && work) makeUpWorkdays.push(iso);
  }
  return { code: 'cn', utcOffsetMinutes: 480, holidays, makeUpWorkdays };
}

/**
 * Installs what the shipped processes need: departments, the `cn` calendar, the service items and their
 * published definitions. Idempotent; runs at every start.
 */
export async function installReferenceData(sql: Sql, catalog: PgCatalog): Promise<void> {
  const db = drizzle(sql);
  for (const department of SHIPPED_DEPARTMENTS) {
    await db.insert(departments).values(department).onConflictDoNothing();
  }
  const cn = chinaCalendar(2024, 2026);
  await db
    .insert(calendars)
    .values({ ...cn, name: '中国大陆 Mainland China' })
    .onConflictDoUpdate({ target: calendars.code, set: { holidays: cn.holidays, makeUpWorkdays: cn.makeUpWorkdays } });
  for (const definition of shippedDefinitions) await catalog.publish(definition);
  for (const item of shippedServiceItems) {
    await db.insert(serviceItems).values(item).onConflictDoNothing();
  }
}
