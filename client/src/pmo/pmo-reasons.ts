/**
 * A project's health reasons in the page's language (docs/pmo.md "Health"): the server gives each as a
 * code with its figures (contracts/pmo-api.ts HealthReason); the words are pmo.reason.<code> of
 * pmo.{it,en}.json, counted ("1 milestone late", "2 milestones late") with the titles listed.
 */
import type { TFunction } from 'i18next'
import type { HealthReason } from '../../../contracts/pmo-api'

export function reasonText(t: TFunction, r: HealthReason): string {
  return t(`pmo.reason.${r.code}`, { ...r, titles: 'titles' in r ? r.titles.join(', ') : '' })
}
