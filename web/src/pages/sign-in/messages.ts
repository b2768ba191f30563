import type { Messages } from '../../messages/index';

export default {
  'zh-CN': {
    signIn: {
      title: '登录',
      demoTitle: '演示用户',
      demoHint: '开发环境：选择一位演示用户登录。每位用户代表一个部门行事。',
      name: '姓名',
      department: '部门',
      roles: '角色',
      act: '以此身份登录',
      tokenTitle: '令牌登录',
      tokenHint: '粘贴身份认证平台签发的令牌（Bearer JWT）。',
      token: '令牌',
      tokenSubmit: '登录',
      tokenRequired: '请粘贴令牌',
      tokenRefused: '令牌无效或已过期。',
      expired: '登录已过期，请重新登录。',
      programs: '部门系统与开发者：接口文档',
    },
  },
  en: {
    signIn: {
      title: 'Sign in',
      demoTitle: 'Demo users',
      demoHint: 'Development system: sign in as one of the demo users. Each acts for one department.',
      name: 'Name',
      department: 'Department',
      roles: 'Roles',
      act: 'Sign in as',
      tokenTitle: 'Sign in with a token',
      tokenHint: 'Paste the token your identity provider issued (a bearer JWT).',
      token: 'Token',
      tokenSubmit: 'Sign in',
      tokenRequired: 'Paste a token',
      tokenRefused: 'The token is invalid or expired.',
      expired: 'Your session expired: sign in again.',
      programs: 'Department systems and developers: the API docs',
    },
  },
} satisfies Messages;
