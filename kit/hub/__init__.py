"""Hosting for a team: JupyterHub for facilitators, the room behind its proxy, PostgreSQL, HTTPS.

``secrets`` reads or makes the 0600 files every secret lives in, ``config`` turns settings from the
environment into JupyterHub configuration (used by ``deploy/jupyterhub_config.py``), ``users`` runs
each facilitator as a system user of their own, ``cluster`` runs a local PostgreSQL in a folder, and
``command`` is ``kit hub``, which starts all of it.
"""
