-- Oracle-only set-up for Docker mode. gvenzl/oracle-xe runs every .sql file of
-- /container-entrypoint-initdb.d once, on the first start, as SYSDBA in the root container, each file in
-- its own SQL*Plus session. By then the image has created the pricing user in XEPDB1 (APP_USER in
-- infra-local/docker-compose.yml), with CONNECT and RESOURCE and a quota on USERS.
-- This file switches to that database and schema, then runs the portable seed that lite mode also loads.

-- Stop at the first error: the container then fails to start instead of running with half a schema.
WHENEVER SQLERROR EXIT SQL.SQLCODE
WHENEVER OSERROR EXIT FAILURE

ALTER SESSION SET CONTAINER = XEPDB1;
ALTER SESSION SET CURRENT_SCHEMA = pricing;

@/opt/pricing/seed/product-prices.sql

COMMIT;
