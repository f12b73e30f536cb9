"""Plays, collection, watchlist, unseen marks, progress and last activity.

Modules:

* ``movies``, ``episodes``, ``shows``: bulk writes (seen/unseen, collection, watchlist, the
  whole-show and whole-season variants) and single plays recorded by playback;
* ``state``: the per-user fields of catalogue items; ``library``: user/library/* and
  user/watchlist/*; ``progress``: user/progress/*; ``lastactivity``: user/lastactivity;
* ``batches`` (inputs and results of writes), ``aired`` (which episodes have aired),
  ``membership`` and ``sql`` (batched statement helpers).

Writes run inside the caller's transaction and never commit; on SQLite the caller opens it
with ``db.engine.write_connection`` so it holds the write lock from the start. Every write
takes ``now`` explicitly and internal ids resolved beforehand.
"""
