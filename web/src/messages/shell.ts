import type { Messages } from './index';

/** The frame around every page: the brand, the menu, who I am, the language switch. */
export default {
  'zh-CN': {
    brand: '通办',
    brandLong: '通办 · 跨部门联合审批',
    nav: { label: '主导航' },
    whoami: { department: '部门', roles: '角色', signOut: '退出' },
    roles: { intake_clerk: '窗口受理', handler: '承办人', lead: '负责人', supervisor: '督办', designer: '流程设计', admin: '管理员', department_system: '部门系统' },
    language: { label: '语言', 'zh-CN': '中文', en: 'English' },
    notifications: { bell: '未读通知 {count} 条' },
    common: {
      loading: '加载中…',
      reload: '重新加载',
      conflict: '有人先一步处理了此事项，请重新加载后再试。',
      failed: '操作失败：{detail}',
      empty: '暂无数据',
      notFound: '未找到，或您的部门无权查看。',
      back: '返回',
      cancel: '取消',
      confirm: '确定',
      search: '查询',
      reset: '重置',
    },
  },
  en: {
    brand: 'Tongban',
    brandLong: 'Tongban · cross-department joint approval',
    nav: { label: 'Main navigation' },
    whoami: { department: 'Department', roles: 'Roles', signOut: 'Sign out' },
    roles: { intake_clerk: 'Intake clerk', handler: 'Handler', lead: 'Lead', supervisor: 'Supervisor', designer: 'Process designer', admin: 'Administrator', department_system: 'Department system' },
    language: { label: 'Language', 'zh-CN': '中文', en: 'English' },
    notifications: { bell: '{count} unread notifications' },
    common: {
      loading: 'Loading…',
      reload: 'Reload',
      conflict: 'Someone acted first — reload and try again.',
      failed: 'It failed: {detail}',
      empty: 'Nothing here',
      notFound: 'Not found, or not visible to your department.',
      back: 'Back',
      cancel: 'Cancel',
      confirm: 'OK',
      search: 'Search',
      reset: 'Reset',
    },
  },
} satisfies Messages;
