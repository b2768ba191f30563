/**
 * The peer's joint-approval process in BPMN 2.0: the same shape as our construction permit — the intake
 * window's acceptance, five parallel department reviews (parallel gateway), the lead department's joint
 * decision — without supplements, returns or the public notice, which neither side exercises under load.
 */
export const REVIEW_TASKS = ['planning', 'ecology', 'fire', 'civil-air-defence', 'water'].map((d) => ({ key: `review.${d}`, id: `review_${d.replaceAll('-', '_')}` }));

/** Task key (as our driver names tasks) → BPMN element id. */
export const ELEMENT_OF: Readonly<Record<string, string>> = {
  acceptance: 'acceptance',
  decision: 'decision',
  ...Object.fromEntries(REVIEW_TASKS.map((t) => [t.key, t.id])),
};
export const KEY_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ELEMENT_OF).map(([k, v]) => [v, k]));

export const JOINT_APPROVAL_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="jointApprovalDefinitions" targetNamespace="http://tongban.example/bench">
  <process id="jointApproval" isExecutable="true">
    <startEvent id="applied" />
    <sequenceFlow id="f_start" sourceRef="applied" targetRef="acceptance" />
    <userTask id="acceptance" name="Acceptance check (window)" />
    <sequenceFlow id="f_accepted" sourceRef="acceptance" targetRef="fork" />
    <parallelGateway id="fork" />
${REVIEW_TASKS.map(
  (t) => `    <sequenceFlow id="f_to_${t.id}" sourceRef="fork" targetRef="${t.id}" />
    <userTask id="${t.id}" name="${t.key}" />
    <sequenceFlow id="f_from_${t.id}" sourceRef="${t.id}" targetRef="join" />`,
).join('\n')}
    <parallelGateway id="join" />
    <sequenceFlow id="f_joined" sourceRef="join" targetRef="decision" />
    <userTask id="decision" name="Joint decision (lead department)" />
    <sequenceFlow id="f_decided" sourceRef="decision" targetRef="decided" />
    <endEvent id="decided" />
  </process>
</definitions>`;
