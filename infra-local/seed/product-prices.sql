-- Schema and data of the legacy price table, loaded unchanged by Oracle XE (Docker mode, from
-- /container-entrypoint-initdb.d) and by the embedded node:sqlite engine (lite mode).
-- Keep it portable: plain DDL and one INSERT per row, no Oracle-only or SQLite-only syntax.
-- Oracle-only set-up (users, grants, ALTER SESSION) lives in oracle/.

CREATE TABLE product_prices (
  product_id VARCHAR2(64) NOT NULL,
  price NUMBER(12,2) NOT NULL,
  currency VARCHAR2(3) NOT NULL,
  CONSTRAINT product_prices_pk PRIMARY KEY (product_id),
  CONSTRAINT product_prices_price_ck CHECK (price >= 0)
);

INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-101', 99.99, 'USD');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-102', 24.50, 'EUR');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-103', 1500, 'JPY');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-104', 12.75, 'GBP');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-105', 349.00, 'CHF');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-CHEAP', 0.10, 'USD');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-FREE', 0, 'USD');
INSERT INTO product_prices (product_id, price, currency) VALUES ('PROD-BIG', 1234567.89, 'USD');
INSERT INTO product_prices (product_id, price, currency) VALUES ('legacy_sku_7', 5.05, 'CAD');
