import { ref, watch, type Ref } from 'vue';
import type { components } from '../../api/schema';

/**
 * The calendar a form counts on: the national one (most service items count on it), or the first there is,
 * chosen once the calendars arrive and kept when the person picks another.
 */
export function useCalendarChoice(calendars: () => readonly components['schemas']['CalendarSummary'][]): Ref<string> {
  const chosen = ref('');
  watch(
    calendars,
    (list) => {
      if (!chosen.value) chosen.value = (list.find((c) => c.code === 'cn') ?? list[0])?.code ?? '';
    },
    { immediate: true },
  );
  return chosen;
}
