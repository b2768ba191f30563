import type { FormItemRule } from 'element-plus';
import { textProblem } from '../../lib/notice-form';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The rule of a text that must say something in at most `max` characters; `required` names what is missing. */
export function textRule(t: Translate, max: number, required: string): FormItemRule[] {
  return [
    {
      validator: (_rule, value: string, done) => {
        const wrong = textProblem(value ?? '', max);
        done(wrong === 'required' ? t(required) : wrong === 'tooLong' ? t('case.form.tooLong', { max }) : undefined);
      },
      trigger: ['blur', 'change'],
    },
  ];
}
