"""JupyterHub for a team of facilitators: everything comes from KIT_HUB_* variables and 0600 files.

Started by `kit hub` (or `make hub`), or by hand: `jupyterhub -f deploy/jupyterhub_config.py` with
KIT_HUB_DIR (state: secrets/, the hub's database, logs), KIT_HUB_ADMIN (the admin user),
KIT_HUB_DB (postgresql://ADMINROLE@HOST:PORT/DB; its password in KIT_HUB_DIR/secrets/db_admin_password),
and optionally KIT_HUB_IP, KIT_HUB_PORT, KIT_HUB_API_PORT, KIT_HUB_PROXY_API_PORT, KIT_HUB_ROOM_PORT,
KIT_HUB_SSL_CERT, KIT_HUB_SSL_KEY, KIT_HUB_CULL_TIMEOUT, KIT_HUB_USER_PREFIX (facilitator NAME runs as the
system user PREFIX+NAME, default kit-; the hub must run as root to create it), KIT_HUB_SHARED_USER=1 (all as the
hub's user instead: no isolation). What each setting does: kit/hub/config.py.
"""
import os

from kit.hub.config import configure

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
configure(c, os.environ)
