"""The plans the verbs run under the journal: the steps (`steps`), the install plan (`install`), the switch of a
running installation from one version to another (`switch`), and the table by which a recovery finds the plan
of a journal's operation (`recovery`). Below the verbs (installer/operations/), above the engine and journal."""
