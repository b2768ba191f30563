import type { Sql } from '../db/connection.js';

/**
 * What the inbox's personal views and searches need of the cloned cases (`cloneCases` with `people`): the work of a
 * department spread over `PEOPLE` people, as in a real office, rather than all of it on its demo user.
 *
 * - Each clone's applicant is named apart: a person (one in three: a surname and two given characters, 18,000
 *   names) or a company (a city, a name, a trade, 有限公司: 3,000 names), so that a full name finds a few dozen cases and a
 *   name's two first characters a few hundred (a person's) or a city's companies, an eighth of them.
 * - Half the open tasks are claimed, each by one of the department's people (person 0 is the department's demo
 *   user, whose views are measured); one in ten of each one's claims was delegated (委派) to them by the next person.
 * - Completed tasks were completed by one of those people in turn (a twentieth each).
 * - Each approved clone has its licence, numbered apart.
 *
 * Then `seedInboxPeople` adds the people themselves, substitution windows (代理: the demo user stands in now for
 * person 1, other windows are past, future or cancelled) and copies (抄送) to the demo users and their departments.
 */
export const PEOPLE = 20;

/** The department's person `n` (0 ≤ n < PEOPLE) in SQL: person 0 is the demo user reading its inbox in the benchmark. */
export const personOf = (department: string, n: string) =>
  `(case when ${n} = 0 then (case ${department} when 'window' then 'window.clerk' when 'housing' then 'housing.lead' else ${department} || '.handler' end)
    else ${department} || '.p' || (${n}) end)`;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰红梅建国';
const CITIES = ['上海', '北京', '杭州', '南京', '苏州', '宁波', '合肥', '无锡'];
const WORDS = '宏远恒达鑫盛华通金源天成永安中建新城东方博瑞同创锦程信和万邦'.match(/../g)!;
const TRADES = ['建设', '置业', '实业', '科技', '工程', '建筑', '发展', '投资', '物流', '商贸', '餐饮', '制造', '环境', '能源', '设计', '咨询', '贸易', '电子', '材料', '园林', '装饰', '市政', '交通', '水务', '医药'];

const array = (items: readonly string[]) => `array[${items.map((i) => `'${i}'`).join(', ')}]`;

/**
 * Clone `g`'s applicant name (SQL over an integer `g`). A person's name takes its characters from the digits of `g / 3`
 * in bases 20, 30, 30, so that every combination occurs (digits of `g` itself would tie the surname to the given name).
 */
export const applicantNameOf = (g: string) => `(case when ${g} % 3 = 0
    then (${array([...SURNAMES])})[1 + (${g} / 3) % 20] || (${array([...GIVEN])})[1 + (${g} / 60) % 30] || (${array([...GIVEN])})[1 + (${g} / 1800) % 30]
    else (${array(CITIES)})[1 + ${g} % 8] || (${array(WORDS)})[1 + (${g} / 8) % ${WORDS.length}] || (${array(TRADES)})[1 + (${g} / ${8 * WORDS.length}) % ${TRADES.length}] || '有限公司' end)`;

/** A full name of a person among the clones, their surname and first given character, and a city's companies' start. */
export const SEARCHED_NAMES = { person: `${SURNAMES[1]}${GIVEN[2]}${GIVEN[3]}`, personStart: `${SURNAMES[1]}${GIVEN[2]}`, companiesStart: CITIES[0]! };

/**
 * The people of each department (users, so substitutions may name them), substitution windows and copies. Copies go
 * to each demo user (2,000, one in ten unread) and to each department (1,000, one in ten unread), of 3,000 cases
 * sampled (1 % of the table's pages).
 */
export async function seedInboxPeople(sql: Sql, departments: readonly string[]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(`insert into users (id, name, department_code, roles)
      select d || '.p' || n, d || ' person ' || n, d, array['handler'] from unnest($1::text[]) d, generate_series(1, ${PEOPLE - 1}) n
      on conflict do nothing`, [departments as string[]]);
    // Person 0 stands in for person 1 now; person n for person n + 1 in windows past, to come or cancelled.
    await tx.unsafe(`insert into substitutions (id, user_id, substitute_id, starts_at, ends_at, reason, created_at, cancelled_at)
      select gen_random_uuid(), ${personOf('d', '(n + 1)')}, ${personOf('d', 'n')},
        now() + (case n % 3 when 0 then interval '-1 day' when 1 then interval '-30 days' else interval '10 days' end),
        now() + (case n % 3 when 0 then interval '6 days' when 1 then interval '-20 days' else interval '20 days' end),
        '休假', now() - interval '40 days', case when n % 6 = 3 then now() - interval '1 day' end
      from unnest($1::text[]) d, generate_series(0, ${PEOPLE - 2}) n`, [departments as string[]]);
    await tx.unsafe(`insert into case_copies (id, case_id, sent_by, sent_by_department, recipient_user, recipient_department, note, sent_at, read_at, read_by)
      select gen_random_uuid(), c.id, 'window.clerk', 'window',
        case when n <= 2000 then ${personOf('d', '0')} end, case when n > 2000 then d end, '请阅',
        now() - n * interval '1 hour', case when n % 10 <> 0 then now() - n * interval '1 hour' + interval '5 minutes' end,
        case when n % 10 <> 0 then ${personOf('d', '0')} end
      from unnest($1::text[]) d, (select id, row_number() over () as n from (select id from cases tablesample system (1) limit 3000) s) c`,
      [departments as string[]]);
  });
  await sql.unsafe('vacuum analyze users, substitutions, case_copies, licences');
}
