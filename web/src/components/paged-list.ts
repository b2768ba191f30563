import { ref, watch, type Ref, type WatchSource } from 'vue';
import type { Problem } from '../api/client';

/** One page of a paged API list (`Page` in the API's schemas): its items and a total a pager can afford. */
interface PageAnswer<T> {
  readonly data?: { readonly items: T[]; readonly total: number; readonly totalExact: boolean } | undefined;
  readonly error?: Problem | undefined;
}

export interface PagedList<T> {
  readonly page: Ref<number>;
  readonly rows: Ref<T[]>;
  /** The number of items when `totalExact`; otherwise a lower bound ("more than"). */
  readonly total: Ref<number>;
  readonly totalExact: Ref<boolean>;
  readonly loading: Ref<boolean>;
  /** What the API refused, for `ProblemAlert`; null after a page loaded. */
  readonly problem: Ref<Problem | null>;
  /** Loads the current page. */
  load(): Promise<void>;
  /** Loads the first page (after a filter, an order or a view changed). */
  restart(): Promise<void>;
}

/**
 * A page's paged list (the inbox, the notifications): `fetchPage` asks the API for a page, this keeps what it
 * answered — the rows, the total and whether it is exact, or the problem.
 *
 * @example
 * const list = usePagedList((page) => api.GET('/api/notifications', { params: { query: { page, pageSize: 20 } } }));
 */
export function usePagedList<T>(fetchPage: (page: number) => Promise<PageAnswer<T>>, firstPage = 1): PagedList<T> {
  const page = ref(firstPage);
  const rows = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const totalExact = ref(true);
  const loading = ref(false);
  const problem = ref<Problem | null>(null);
  async function load() {
    loading.value = true;
    const { data, error } = await fetchPage(page.value);
    loading.value = false;
    problem.value = error ?? null;
    rows.value = data?.items ?? [];
    total.value = data?.total ?? 0;
    totalExact.value = data?.totalExact ?? true;
  }
  async function restart() {
    page.value = 1;
    await load();
  }
  return { page, rows, total, totalExact, loading, problem, load, restart };
}

/**
 * Keeps `list` read as the reader moves: now, on every page the pager turns to, and from the first page again when
 * one of `filters` changes (once: a filter changed on a later page loads through the page going back to 1).
 */
export function followPages(list: PagedList<unknown>, filters: WatchSource[]): void {
  watch(filters, () => {
    if (list.page.value === 1) void list.load();
    else list.page.value = 1;
  });
  watch(list.page, () => void list.load(), { immediate: true });
}
