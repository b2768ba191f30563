import type { Messages } from '../../messages/index';

export default {
  'zh-CN': {
    inbox: {
      nav: '待办',
      title: '我的待办',
      todo: '待办',
      done: '已办',
      task: '环节',
      department: '部门',
      dueAt: '办理时限',
      status: '状态',
      open: '打开',
    },
  },
  en: {
    inbox: {
      nav: 'Inbox',
      title: 'My inbox',
      todo: 'To do',
      done: 'Done',
      task: 'Step',
      department: 'Department',
      dueAt: 'Due',
      status: 'Status',
      open: 'Open',
    },
  },
} satisfies Messages;
