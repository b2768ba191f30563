import type { Ref } from 'vue';
import { api } from './api/client';
import type { components } from './api/schema';
import { followPages, usePagedList } from './components/paged-list';

export type Notice = components['schemas']['SupervisionNotice'];
export type NoticeStatus = Notice['status'];

/** How many notices a page shows. */
const PAGE_SIZE = 20;

/**
 * A page of the 督办 notices the reader sees (a supervisor: all; a department: those it holds), of one status or
 * all (`''`), most urgent first; read again when the status or the page changes (a new status starts at page 1).
 */
export function useNoticePage(status: Ref<NoticeStatus | ''>) {
  const list = usePagedList<Notice>((page) =>
    api.GET('/api/supervision-notices', { params: { query: { page, pageSize: PAGE_SIZE, ...(status.value ? { status: status.value } : {}) } } }),
  );
  followPages(list, [status]);
  return { ...list, pageSize: PAGE_SIZE };
}
