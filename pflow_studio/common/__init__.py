"""The bottom layer: helpers every other package may use (atomic files, plain JSON values). It imports
nothing of ours and no Qt."""
