/** bpmn-moddle (a dependency of bpmn-engine) ships no types; the peer only parses XML with it. */
declare module 'bpmn-moddle' {
  export default class BpmnModdle {
    fromXML(xml: string): Promise<unknown>;
  }
}
