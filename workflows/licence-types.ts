import type { LicenceType } from '../engine/licences/electronic-licence.js';

/**
 * The licence types (证照类型) the shipped items issue or take (`RequiredMaterial.licenceType`), installed as reference
 * data at start (`installReferenceData`). Validity as the licences are usually issued: a business licence and an
 * identity card of the long-term kind without end here (营业期限 长期; the ID's own term is printed on it), a
 * construction permit until the works end (without end here: it lapses by the works, not by a date), a food business
 * licence 5 years (食品经营许可管理办法), a road occupation 1 year at most, an EIA approval 5 years (it lapses when
 * construction has not begun within them), a planning permit and a project approval without end.
 */
export const SHIPPED_LICENCE_TYPES: readonly LicenceType[] = [
  { code: 'bl', name: '营业执照 Business licence', validYears: null },
  { code: 'cp', name: '建筑工程施工许可证 Construction permit', validYears: null },
  { code: 'jy', name: '食品经营许可证 Food business licence', validYears: 5 },
  { code: 'zd', name: '临时占道许可 Road occupation permit', validYears: 1 },
  { code: 'hp', name: '环评批复 EIA approval', validYears: 5 },
  { code: 'planning-permit', name: '建设工程规划许可证 Planning permit', validYears: null },
  { code: 'project-approval', name: '建设项目批准文件 Project approval', validYears: null },
  { code: 'resident-id', name: '居民身份证 Resident identity card', validYears: null },
];
