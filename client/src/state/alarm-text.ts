import type { RuleTexts } from '../../../contracts/alarm-rules'

interface HasRuleTexts {
  ruleName?: string
  name?: string
  cause: string
  consequence: string
  response: string
  translations?: Readonly<Record<string, RuleTexts>> | undefined
}

/** A rule's (or an alarm's) name, cause, consequence and response in the page's language, falling back to the rule's own texts. */
export function ruleTexts(x: HasRuleTexts, language: string): Required<RuleTexts> {
  const tr = x.translations?.[language.slice(0, 2)] ?? {}
  return {
    name: tr.name ?? x.ruleName ?? x.name ?? '',
    cause: tr.cause ?? x.cause,
    consequence: tr.consequence ?? x.consequence,
    response: tr.response ?? x.response,
  }
}
