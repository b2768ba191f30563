import { reactive } from 'vue';
import { api } from './api/client';
import { session } from './session';

/** My unread notifications, for the badge in the header; pages that mark some read call `refreshUnread`. */
export const unread = reactive({ count: 0 });

export async function refreshUnread(): Promise<void> {
  if (!session.hasRole('intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin')) return;
  const { data } = await api.GET('/api/notifications/unread-counts');
  if (data) unread.count = data.unread;
}
