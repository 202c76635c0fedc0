-- A re-check through a provider returns the browser to the page that
-- asked for it: the path the web client gave when it began (a path of
-- Rapport's own client, checked by app_sso_recheck_begin), handed back by
-- the callback. Kept with the flow, so nothing is stored in the browser.
ALTER TABLE oidc_flows ADD COLUMN back TEXT;
