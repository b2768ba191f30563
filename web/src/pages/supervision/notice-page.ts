import { ref, watch, type Ref } from 'vue';
import { api } from '../../api/client';
import type { components } from '../../api/schema';

export type Notice = components['schemas']['SupervisionNotice'];
export type NoticeStatus = Notice['status'];

/** How many notices a page shows. */
const PAGE_SIZE = 20;

/**
 * A page of the 督办 notices the reader sees (a supervisor: all; a department: those it holds), of one status or
 * all (`''`), most urgent first; read again when the status or the page changes (a new status starts at page 1).
 */
export function useNoticePage(status: Ref<NoticeStatus | ''>) {
  const page = ref(1);
  const rows = ref<Notice[]>([]);
  const total = ref(0);
  const loading = ref(false);

  async function load() {
    loading.value = true;
    const { data } = await api.GET('/api/supervision-notices', { params: { query: { page: page.value, pageSize: PAGE_SIZE, ...(status.value ? { status: status.value } : {}) } } });
    loading.value = false;
    rows.value = data?.items ?? [];
    total.value = data?.total ?? 0;
  }
  watch(status, () => {
    if (page.value === 1) void load();
    else page.value = 1;
  });
  watch(page, load, { immediate: true });

  return { page, pageSize: PAGE_SIZE, rows, total, loading, load };
}
