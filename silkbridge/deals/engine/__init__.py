"""The deals app's algorithms, with no Django: rubric scores and their spread, the quality-and-cost
score of a two-envelope evaluation, and differences between versions of a proposal or an MoU."""
