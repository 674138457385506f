-- A download is a read, and a read changes nothing (issue: "GET never changes anything"): when an
-- export's file was last downloaded is the latest export.downloaded entry of the audit log, which
-- also says who took it. The column the download used to update goes.
alter table exports drop column downloaded_at;
