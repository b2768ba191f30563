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
