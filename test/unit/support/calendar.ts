import { chinaCalendar } from '../../../engine/time/china-calendar.js';
import { WorkingCalendar } from '../../../engine/time/working-calendar.js';

/** Mainland China's working calendar (weekends, public holidays, 调休 make-up days) for 2024–2026. */
export const chinaWorkingCalendar = new WorkingCalendar(chinaCalendar(2024, 2026));

/** An instant written as Beijing local time, e.g. `beijing('2026-11-30T09:00')`. */
export const beijing = (localDateTime: string): Date => new Date(`${localDateTime}+08:00`);

/** Monday 30 November 2026, 09:00 in Beijing: a plain working week ahead. */
export const MONDAY_MORNING = beijing('2026-11-30T09:00');
