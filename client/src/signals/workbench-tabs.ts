/** The views of one controller's workbench, in tab order. */
export const WORKBENCH_TABS = ['plan', 'intergreens', 'history', 'evaluation', 'sumo', 'corridor'] as const
export type WorkbenchTab = (typeof WORKBENCH_TABS)[number]
