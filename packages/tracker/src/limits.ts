/**
 * How much of a run the tracker keeps: warnings and tasks past these counts are only counted
 * (`warningsDropped`, `tasksDropped`), so a long run's result and memory stay bounded.
 */

/** Warnings kept on the tracker and in a result; `warningsDropped` counts the rest. */
export const MAX_WARNINGS = 100;
/** Tasks kept in a result; `tasksDropped` counts the rest. */
export const MAX_TASKS = 1000;
