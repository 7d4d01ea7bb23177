<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
  <context>
    <name>AdvancementDialog</name>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="89" />
      <source>Advancement application</source>
      <translation>客戶進階申請</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="237" />
      <source>Agree</source>
      <translation>稽核透過</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="210" />
      <source>Applicant</source>
      <translation>申請人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="205" />
      <source>Application {n}</source>
      <translation>進階申請 {n}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="238" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="238" />
      <source>Ask for more</source>
      <translation>要求補充</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="221" />
      <source>By</source>
      <translation>經辦人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="306" />
      <source>Choose a customer</source>
      <translation>請選擇客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="221" />
      <source>Comment</source>
      <translation>意見</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="232" />
      <source>Comment (required when returning)</source>
      <translation>意見(退回或要求補充時必填)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="90" />
      <source>Complete and resubmit {n}</source>
      <translation>補充並重新提交 {n}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="217" />
      <source>Criteria met</source>
      <translation>符合的進階標準</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="98" />
      <source>Criteria met (进阶标准)</source>
      <translation>已達到的進階標準</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="108" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="251" />
      <source>History</source>
      <translation>稽核審批記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="281" />
      <source>Mark customer lost</source>
      <translation>登記流失客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="293" />
      <source>Reason the customer was lost</source>
      <translation>流失原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="214" />
      <source>Reasons</source>
      <translation>進階理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="114" />
      <source>Reasons (进阶理由)</source>
      <translation>進階理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="237" />
      <source>Return to the rep</source>
      <translation>退回申請人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="46" />
      <source>Search name or code</source>
      <translation>按名稱或編號查詢</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="211" />
      <source>State</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="109" />
      <source>Step</source>
      <translation>進階類別</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="148" />
      <source>This customer has no step to apply for now.</source>
      <translation>該客戶目前沒有可申請的進階類別。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="221" />
      <source>Time</source>
      <translation>時間</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="104" />
      <source>Why the customer qualifies: facts, dates, figures</source>
      <translation>客戶符合進階的依據:事實、日期、資料</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="289" />
      <source>e.g. went to a competitor for price</source>
      <translation>例如:因價格轉向競爭對手</translation>
    </message>
  </context>
  <context>
    <name>AdvancementPanel</name>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="33" />
      <source>All applications</source>
      <translation>全部申請</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Applicant</source>
      <translation>申請人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="64" />
      <source>Complete and resubmit…</source>
      <translation>補充並重新提交…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="65" />
      <source>Customer notified</source>
      <translation>已通知客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Filed on</source>
      <translation>申請日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="189" />
      <source>How was the customer told (phone, letter, visit)?</source>
      <translation>以何種方式通知客戶(電話、信函、拜訪)?</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="67" />
      <source>Mark customer lost…</source>
      <translation>登記流失客戶…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="33" />
      <source>My applications</source>
      <translation>我的申請</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="62" />
      <source>New application…</source>
      <translation>新建進階申請…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>No.</source>
      <translation>編號</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="68" />
      <source>Print form…</source>
      <translation>列印申請表…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="63" />
      <source>Review / approve…</source>
      <translation>稽核 / 審批…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="83" />
      <source>Show</source>
      <translation>顯示</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>State</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Step</source>
      <translation>進階類別</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="33" />
      <source>Waiting for me</source>
      <translation>待我處理</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="66" />
      <source>Withdraw</source>
      <translation>撤回</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="196" />
      <source>Withdraw application {n}?</source>
      <translation>撤回進階申請 {n}?</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="121" />
      <source>{n} applications</source>
      <translation>共 {n} 份申請</translation>
    </message>
  </context>
  <context>
    <name>Application</name>
    <message>
      <location filename="../../ui/application.py" line="101" />
      <source>Cannot open the database</source>
      <translation>無法開啟資料庫</translation>
    </message>
    <message>
      <location filename="../../ui/application.py" line="62" />
      <source>Demo accounts: {names}; password {password}</source>
      <translation>演示賬號:{names};密碼均為 {password}</translation>
    </message>
  </context>
  <context>
    <name>ArchivePanel</name>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="111" />
      <source>Add entry…</source>
      <translation>新增記錄…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="109" />
      <source>All sections</source>
      <translation>全部分類</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Amount</source>
      <translation>金額</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="62" />
      <source>Amount (yuan)</source>
      <translation>金額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="84" />
      <source>Dates are written like 2026-11-25</source>
      <translation>日期格式如 2026-11-25</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="63" />
      <source>Details</source>
      <translation>詳細內容</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Due</source>
      <translation>到期日</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="62" />
      <source>Due date</source>
      <translation>到期日</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Kind</source>
      <translation>型別</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="46" />
      <source>New archive entry</source>
      <translation>新增檔案記錄</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="117" />
      <source>No entries in this section yet: record contracts, receivables, complaints and contacts with “Add entry…”.</source>
      <translation>本分類還沒有記錄:請點選“新增記錄…”登記合同、欠款還款、投訴折價和聯絡記錄。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="33" />
      <source>Recorded by</source>
      <translation>記錄人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Reference</source>
      <translation>編號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="63" />
      <source>Reference no.</source>
      <translation>編號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Section</source>
      <translation>檔案分類</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Subject</source>
      <translation>摘要</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="53" />
      <source>e.g. 500万 or 5000000</source>
      <translation>如 500萬 或 5000000</translation>
    </message>
  </context>
  <context>
    <name>AttributesDialog</name>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="53" />
      <source>0–100; empty: {d} counts</source>
      <translation>0–100;不填按 {d} 分計</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="49" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="64" />
      <source>How the scores were judged (who, what evidence)</source>
      <translation>評分依據(誰評的、憑什麼)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="35" />
      <source>Industry reputation (行业信誉)</source>
      <translation>行業信譽</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="72" />
      <source>Last changed by {who} {when}</source>
      <translation>最近修改:{who} {when}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="67" />
      <source>Note</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="74" />
      <source>Only those who may run the grading change these scores.</source>
      <translation>只有有權計算客戶分級的人員可以修改評分項。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="34" />
      <source>Our share of their sales (占其销售比例)</source>
      <translation>我司產品佔其銷售比例</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="33" />
      <source>Sales model (销售模式)</source>
      <translation>銷售模式</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="45" />
      <source>Scoring items — {customer}</source>
      <translation>評分項 — {customer}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="61" />
      <source>Years dealing in our products</source>
      <translation>經營我司產品年限</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="33" />
      <source>e.g. direct sales and own outlets score high</source>
      <translation>例如:直銷、自有網點得分高</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="60" />
      <source>no sales recorded yet</source>
      <translation>尚無銷售記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="34" />
      <source>our products' share of what they sell</source>
      <translation>我司產品在其銷售中所佔比例</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="59" />
      <source>since {year} (from the sales records)</source>
      <translation>自 {year} 年起(按銷售記錄計算)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="35" />
      <source>standing in the trade, disputes, references</source>
      <translation>行業口碑、糾紛、同行評價</translation>
    </message>
  </context>
  <context>
    <name>BackupDialog</name>
    <message>
      <location filename="../../ui/backup_dialog.py" line="188" />
      <source>All data in the current database will be replaced by the contents of {file}.
A safety copy of the current data is kept first.

Restore now?</source>
      <translation>當前資料庫中的全部資料將被 {file} 的內容替換。
替換前會先儲存一份當前資料的副本。

現在恢復嗎?</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="141" />
      <source>Back up database</source>
      <translation>備份資料庫</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="62" />
      <source>Back up now</source>
      <translation>立即備份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="64" />
      <source>Back up to a file…</source>
      <translation>備份到檔案…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="58" />
      <source>Backup and restore</source>
      <translation>備份與恢復</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="133" />
      <source>Backup folder</source>
      <translation>備份資料夾</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="118" />
      <source>Backups to keep</source>
      <translation>保留份數</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="106" />
      <source>Browse…</source>
      <translation>瀏覽…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="163" />
      <source>Choose backup file</source>
      <translation>選擇備份檔案</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="75" />
      <source>Choose backup file…</source>
      <translation>選擇備份檔案…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="117" />
      <source>Day of the month</source>
      <translation>每月幾號</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="119" />
      <source>Folder</source>
      <translation>資料夾</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="100" />
      <source>In shorter months the last day of the month is used.</source>
      <translation>當月沒有這一天時,在月末最後一天備份。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="129" />
      <source>Last attempt failed: {error}</source>
      <translation>上次嘗試失敗:{error}</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="120" />
      <source>Last scheduled backup</source>
      <translation>上次定期備份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="95" />
      <source>Monthly backup</source>
      <translation>每月定期備份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="71" />
      <source>Restore from a backup</source>
      <translation>從備份恢復</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="77" />
      <source>Restore this backup…</source>
      <translation>恢復此備份…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="199" />
      <source>Restored and verified. KeDesk will close now; start it again to work with the restored data.</source>
      <translation>恢復完成並已校驗。客臺現在將關閉,請重新啟動後使用恢復的資料。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="114" />
      <source>Save schedule</source>
      <translation>儲存計劃</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="222" />
      <source>Saved.</source>
      <translation>已儲存。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="197" />
      <source>The data as it was is kept in {path}.</source>
      <translation>恢復前的資料儲存在 {path}。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="73" />
      <source>The file is checked first; nothing changes until you confirm.</source>
      <translation>先校驗檔案;在您確認之前不會改動任何資料。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="216" />
      <source>This folder does not exist.</source>
      <translation>該資料夾不存在。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="152" />
      <source>Written and verified: {path}</source>
      <translation>已寫入並校驗:{path}</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="127" />
      <source>none yet</source>
      <translation>尚無</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="172" />
      <source>{file} can be restored: {summary}</source>
      <translation>{file} 可以恢復:{summary}</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="126" />
      <source>{time} — {file}</source>
      <translation>{time} — {file}</translation>
    </message>
  </context>
  <context>
    <name>BackupTimer</name>
    <message>
      <location filename="../../ui/backup_timer.py" line="32" />
      <source>Monthly backup</source>
      <translation>每月定期備份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_timer.py" line="24" />
      <source>Monthly backup written and verified: {path}</source>
      <translation>每月備份已寫入並校驗:{path}</translation>
    </message>
  </context>
  <context>
    <name>BorrowDialog</name>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Access</source>
      <translation>許可權</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="86" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="107" />
      <source>Approved</source>
      <translation>已批准</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Approved by</source>
      <translation>審批人</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="158" />
      <source>Approved.</source>
      <translation>已批准。</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="53" />
      <source>Borrow an archive</source>
      <translation>檔案借閱</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Days</source>
      <translation>借閱天數</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Department</source>
      <translation>所屬部門</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="56" />
      <source>Exact customer code or full name</source>
      <translation>輸入完整的客戶編號或客戶全稱</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Expires</source>
      <translation>到期時間</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Level</source>
      <translation>保密級別</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="99" />
      <source>My requests</source>
      <translation>我的申請</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="126" />
      <source>No single customer has this exact code or name</source>
      <translation>沒有編號或全稱完全一致的客戶</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="107" />
      <source>Pending</source>
      <translation>待審批</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="66" />
      <source>Read and edit</source>
      <translation>查閱並修改</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="65" />
      <source>Read only</source>
      <translation>僅查閱</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Reason</source>
      <translation>查閱原因</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="87" />
      <source>Reject</source>
      <translation>駁回</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="107" />
      <source>Rejected</source>
      <translation>已駁回</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="158" />
      <source>Rejected.</source>
      <translation>已駁回。</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="143" />
      <source>Request submitted; it waits for approval.</source>
      <translation>申請已提交,等待審批。</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Requested</source>
      <translation>申請時間</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Requested by</source>
      <translation>申請人</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="99" />
      <source>Requests to decide</source>
      <translation>待我審批的申請</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="67" />
      <source>Submit request</source>
      <translation>提交申請</translation>
    </message>
  </context>
  <context>
    <name>BuyerDocuments</name>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Amount</source>
      <translation>金額</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Document</source>
      <translation>單據</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>For</source>
      <translation>事由</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Issued by</source>
      <translation>開具人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Number</source>
      <translation>編號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="88" />
      <source>Preview…</source>
      <translation>預覽…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="152" />
      <source>Reason for cancelling {number} (collect all copies of the original):</source>
      <translation>沖銷 {number} 的原因(請收回原單據各聯):</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="166" />
      <source>Reason for moving to {flat}:</source>
      <translation>換到 {flat} 的原因:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="152" />
      <source>Red-letter reversal</source>
      <translation>紅字衝紅</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="90" />
      <source>Red-letter reversal…</source>
      <translation>紅字衝紅…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="92" />
      <source>Rename…</source>
      <translation>更名…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="88" />
      <source>Reprint</source>
      <translation>重打</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="34" />
      <source>Reversal</source>
      <translation>沖銷</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Reviewed by</source>
      <translation>複核人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="89" />
      <source>Review…</source>
      <translation>複核…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="115" />
      <source>Select a document first</source>
      <translation>請先選擇一張單據</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="178" />
      <source>Select the buyer's current ticket</source>
      <translation>請選擇該購房者當前有效的選房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="164" />
      <source>Select the ticket here and the new flat on the grid</source>
      <translation>請在此選擇選房工作票,並在銷控表中選擇新房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="166" />
      <source>Swap flat</source>
      <translation>換房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="91" />
      <source>Swap to the flat chosen on the grid…</source>
      <translation>換到銷控表中選中的房源…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="100" />
      <source>This buyer's documents</source>
      <translation>該購房者的單據</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="60" />
      <source>cancelled by {n}</source>
      <translation>已被 {n} 沖銷</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="59" />
      <source>cancels {n}</source>
      <translation>沖銷 {n}</translation>
    </message>
  </context>
  <context>
    <name>CalendarView</name>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="366" />
      <source>+{n} more</source>
      <translation>另有 {n} 項</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Fri</source>
      <translation>週五</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="315" />
      <source>Make-up working day</source>
      <translation>調休上班</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Mon</source>
      <translation>週一</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="315" />
      <source>Off</source>
      <translation>休</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Sat</source>
      <translation>週六</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Sun</source>
      <translation>週日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Thu</source>
      <translation>週四</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Tue</source>
      <translation>週二</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Wed</source>
      <translation>週三</translation>
    </message>
  </context>
  <context>
    <name>CallScreen</name>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="66" />
      <source>Called: {list}</source>
      <translation>已叫:{list}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="68" />
      <source>Next: {list}   ({n} waiting)</source>
      <translation>下一位:{list}   (還有 {n} 人等候)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="61" />
      <source>Number {order} {name}, please go to {desk}</source>
      <translation>請 {order} 號 {name} 到 {desk} 選房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="32" />
      <source>Queue — {title}</source>
      <translation>叫號 — {title}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="65" />
      <source>Waiting for the first call</source>
      <translation>等待叫號</translation>
    </message>
  </context>
  <context>
    <name>CardEditor</name>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="205" />
      <source>(one level down: {n} late payments in {quarter})</source>
      <translation>(已降一級:{quarter} 逾期付款 {n} 次)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="36" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="41" />
      <source>Annual revenue (yuan)</source>
      <translation>年營業收入(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="57" />
      <source>Business scope</source>
      <translation>經營範圍</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="216" />
      <source>Call or visit at least every {n} days</source>
      <translation>至少每 {n} 天電話或拜訪一次</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="166" />
      <source>Changed by an advancement application or a grading run</source>
      <translation>由客戶進階審批或分級確認變更</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="54" />
      <source>Confidentiality</source>
      <translation>保密級別</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="48" />
      <source>Cooperation status</source>
      <translation>合作狀態</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="50" />
      <source>Credit limit (yuan)</source>
      <translation>信用額度(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="30" />
      <source>Customer code</source>
      <translation>客戶編號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="31" />
      <source>Customer name</source>
      <translation>客戶名稱</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="39" />
      <source>Customer type</source>
      <translation>客戶型別</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="176" />
      <source>Dates are written like 2026-11-25</source>
      <translation>日期格式如 2026-11-25</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="211" />
      <source>Delivery within {days} days; rush orders: {rush}</source>
      <translation>交貨期:{days} 天;可插單:{rush}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="53" />
      <source>Department</source>
      <translation>部門</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="45" />
      <source>Distance from company (km)</source>
      <translation>與公司距離(公里)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="43" />
      <source>Enterprise size</source>
      <translation>企業規模</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="35" />
      <source>Fax</source>
      <translation>傳真</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="49" />
      <source>Grade</source>
      <translation>客戶等級</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="208" />
      <source>Grade: {grade}</source>
      <translation>客戶等級:{grade}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="42" />
      <source>Headcount</source>
      <translation>從業人數</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="38" />
      <source>Industry</source>
      <translation>行業</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="47" />
      <source>Information channel level</source>
      <translation>資訊渠道等級</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="213" />
      <source>Inquiries answered within {hours} hours</source>
      <translation>客戶詢問 {hours} 小時內答覆</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="55" />
      <source>Last verified on</source>
      <translation>最近核定日期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="32" />
      <source>Legal representative</source>
      <translation>法定代表人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="58" />
      <source>Notes</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="52" />
      <source>Owner</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="210" />
      <source>Payment: {text}</source>
      <translation>付款:{text}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="34" />
      <source>Phone</source>
      <translation>電話</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="107" />
      <source>Policy for this grade</source>
      <translation>本等級政策</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="37" />
      <source>Postcode</source>
      <translation>郵編</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="209" />
      <source>Price: {text}</source>
      <translation>價格:{text}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="51" />
      <source>Reason for loss</source>
      <translation>流失原因</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="44" />
      <source>Region</source>
      <translation>區域</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="40" />
      <source>Registered capital (yuan)</source>
      <translation>註冊資本(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="46" />
      <source>Source</source>
      <translation>客戶來源</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="33" />
      <source>Unified social credit code</source>
      <translation>統一社會信用程式碼</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="56" />
      <source>Unsuitable visit times</source>
      <translation>不宜拜訪時間</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="120" />
      <source>e.g. 500万 or 5000000</source>
      <translation>如 500萬 或 5000000</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="121" />
      <source>generated when left empty</source>
      <translation>留空則自動生成</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="212" />
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="208" />
      <source>none (treated as C)</source>
      <translation>未分級(按C級)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="212" />
      <source>yes</source>
      <translation>是</translation>
    </message>
  </context>
  <context>
    <name>CardUpdatesDialog</name>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="27" />
      <source>Card updates due</source>
      <translation>待錄入的客戶資料變更</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Code</source>
      <translation>客戶編號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Due by</source>
      <translation>錄入期限</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="31" />
      <source>No card waits for a reported change.</source>
      <translation>沒有待錄入變更的客戶卡片。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Owner</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Reported change</source>
      <translation>拜訪報告所報變化</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Visited</source>
      <translation>拜訪日期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="49" />
      <source>What a visit report says changed goes on the card within the hours the business rules set (24 by default). Double-click a row to open the card.</source>
      <translation>拜訪報告所報的變化須在業務規則規定的時限內(預設24小時)錄入客戶卡片。雙擊一行開啟該客戶卡片。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="41" />
      <source>overdue</source>
      <translation>已逾期</translation>
    </message>
  </context>
  <context>
    <name>CheckoutDialog</name>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="53" />
      <source>Browse…</source>
      <translation>瀏覽…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="77" />
      <source>Cancel check-out</source>
      <translation>取消檢出</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="73" />
      <source>Check out</source>
      <translation>檢出</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="44" />
      <source>Check out to this computer (offline field work)</source>
      <translation>檢出到本機(離線外出)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="159" />
      <source>Check-out failed: {error}</source>
      <translation>檢出失敗:{error}</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="149" />
      <source>Checked out {n} customers ({rows} records) to the encrypted file {path}. Open it away from the office with KeDesk --laptop and your password; sync when you are back.</source>
      <translation>已檢出 {n} 個客戶(共 {rows} 條記錄)到加密離線副本 {path}。外出時用“客臺 --laptop”和您的密碼開啟,回來後同步。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="100" />
      <source>Choose where the encrypted file goes.</source>
      <translation>請選擇加密副本儲存的位置。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="46" />
      <source>Copies the customers you may read into an encrypted file on this computer, so you can open and edit them away from the office. Your password locks the file; log in with it on this computer (KeDesk --laptop) and sync when you are back.</source>
      <translation>把您有權查閱的客戶複製到本機的加密檔案中,外出時可以檢視和修改。檔案用您的密碼加密;在本機用該密碼登入(客臺 --laptop),回來後同步。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="63" />
      <source>Device name</source>
      <translation>裝置名稱</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="64" />
      <source>File</source>
      <translation>檔案</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="93" />
      <source>KeDesk offline replica (*.kedesk)</source>
      <translation>客臺離線副本 (*.kedesk)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="99" />
      <source>Name this computer, e.g. “Zhang's laptop”.</source>
      <translation>請為本機起個名字,例如“張經理的筆記本”。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="92" />
      <source>Offline replica file</source>
      <translation>離線副本檔案</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="65" />
      <source>Password (again)</source>
      <translation>再次輸入密碼</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="101" />
      <source>Type your own login password again: it locks the file.</source>
      <translation>請再次輸入您本人的登入密碼:它用來加密副本。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="61" />
      <source>your own login password</source>
      <translation>您本人的登入密碼</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="51" />
      <source>{name}'s laptop</source>
      <translation>{name}的筆記本</translation>
    </message>
  </context>
  <context>
    <name>ComplaintDialog</name>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="69" />
      <source>(not a customer on file)</source>
      <translation>(非在冊客戶)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="62" />
      <source>Cause</source>
      <translation>投訴原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="61" />
      <source>Channel</source>
      <translation>投訴渠道</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="59" />
      <source>Complainant</source>
      <translation>投訴人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="96" />
      <source>Complaint {number}</source>
      <translation>投訴 {number}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="60" />
      <source>Contact</source>
      <translation>聯絡方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="58" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="65" />
      <source>Details</source>
      <translation>投訴內容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="57" />
      <source>Find customer</source>
      <translation>查詢客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="108" />
      <source>Next step</source>
      <translation>下一步</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="109" />
      <source>Note</source>
      <translation>說明</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="40" />
      <source>Receive a complaint</source>
      <translation>受理客戶投訴</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="63" />
      <source>Received at</source>
      <translation>受理時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="107" />
      <source>Steps so far</source>
      <translation>處理經過</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="64" />
      <source>Subject</source>
      <translation>投訴事由</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="112" />
      <source>This complaint is closed.</source>
      <translation>該投訴已結案。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="53" />
      <source>Type a name, pinyin or phone to find the customer</source>
      <translation>輸入名稱、拼音或電話後回車查詢客戶</translation>
    </message>
  </context>
  <context>
    <name>ComplaintsPanel</name>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="59" />
      <source> (late)</source>
      <translation>(超時)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Answer due</source>
      <translation>答覆期限</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Answered</source>
      <translation>答覆時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Cause</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="40" />
      <source>Cause statistics (Excel)…</source>
      <translation>原因統計(Excel)…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="87" />
      <source>Choose a complaint in the list first.</source>
      <translation>請先在列表中選擇一條投訴。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="93" />
      <source>Complaint statistics</source>
      <translation>投訴原因統計</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Customer / complainant</source>
      <translation>客戶/投訴人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="94" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="39" />
      <source>Handle…</source>
      <translation>處理…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Number</source>
      <translation>編號</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="37" />
      <source>Open only</source>
      <translation>只看未結案</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Overdue</source>
      <translation>超時</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Received</source>
      <translation>受理時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="39" />
      <source>Receive…</source>
      <translation>受理投訴…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Subject</source>
      <translation>事由</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="73" />
      <source>{h} h</source>
      <translation>{h} 小時</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="99" />
      <source>{n} complaints written to {path}</source>
      <translation>已匯出 {n} 條投訴到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="74" />
      <source>{n} complaints · {k} overdue ({w} still unanswered) · resolved {c} ({rate}) · satisfaction {sat} · mean answer {answer} · mean resolution {resolve}</source>
      <translation>共 {n} 件投訴 · 超時 {k} 件(其中 {w} 件仍未答覆)· 已結案 {c} 件(結案率 {rate})· 滿意率 {sat} · 平均答覆時間 {answer} · 平均解決時間 {resolve}</translation>
    </message>
  </context>
  <context>
    <name>ConflictsDialog</name>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="40" />
      <source>By</source>
      <translation>修改人 · 裝置</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Central value</source>
      <translation>中心的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="46" />
      <source>Central value (kept now)</source>
      <translation>中心的值(當前保留)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Edited at</source>
      <translation>修改時間</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Field</source>
      <translation>欄位</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="53" />
      <source>Keep central</source>
      <translation>保留中心的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="40" />
      <source>Laptop value</source>
      <translation>離線的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="47" />
      <source>Laptop value (mine)</source>
      <translation>離線的值(我的修改)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Record</source>
      <translation>記錄</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="37" />
      <source>Sync conflicts</source>
      <translation>同步衝突</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="54" />
      <source>Take mine</source>
      <translation>採用離線的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="40" />
      <source>Why</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="79" />
      <source>{n} open conflicts</source>
      <translation>待處理衝突 {n} 項</translation>
    </message>
  </context>
  <context>
    <name>ContactsPanel</name>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="128" />
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="82" />
      <source>Assign</source>
      <translation>分配</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Assigned by</source>
      <translation>分配人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Assigned on</source>
      <translation>分配日期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="162" />
      <source>Choose a staff member to assign</source>
      <translation>請選擇要分配的員工</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="143" />
      <source>Choose staff…</source>
      <translation>選擇員工…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="184" />
      <source>Contact staff</source>
      <translation>聯絡人員</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Department</source>
      <translation>部門</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="57" />
      <source>Important customer (重要客户)</source>
      <translation>重要客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="44" />
      <source>Important customer: {n} of the required {m} contact staff. Assign {k} more.</source>
      <translation>重要客戶:現有聯絡人員 {n} 人,至少需要 {m} 人,請再分配 {k} 人。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="129" />
      <source>Important: {why}</source>
      <translation>重要客戶依據:{why}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="121" />
      <source>Owner (负责人)</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="83" />
      <source>Remove selected</source>
      <translation>移除所選</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="178" />
      <source>Select the staff member to remove</source>
      <translation>請先選中要移除的聯絡人員</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Staff</source>
      <translation>員工</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="185" />
      <source>Take {name} off this customer's contact staff?</source>
      <translation>將 {name} 從該客戶的聯絡人員中移除?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="107" />
      <source>The owner counts as one contact; staff who have left are shown but not counted.</source>
      <translation>負責人計為一名聯絡人員;已離職的員工仍列出,但不計入人數。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="182" />
      <source>The owner is changed on the Basic data tab</source>
      <translation>負責人請在“基本資料”中修改</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="31" />
      <source>grade A</source>
      <translation>A級客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="31" />
      <source>large enterprise</source>
      <translation>大型企業</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="31" />
      <source>marked by hand</source>
      <translation>手工標記</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="122" />
      <source>{name} (left, not counted)</source>
      <translation>{name}(已離職,不計入)</translation>
    </message>
  </context>
  <context>
    <name>CrashDialog</name>
    <message>
      <location filename="../../ui/crash_dialog.py" line="42" />
      <source>Copied</source>
      <translation>已複製</translation>
    </message>
    <message>
      <location filename="../../ui/crash_dialog.py" line="33" />
      <source>Copy details for support</source>
      <translation>複製詳細資訊(發給技術支援)</translation>
    </message>
    <message>
      <location filename="../../ui/crash_dialog.py" line="21" />
      <source>Something went wrong. Your data is safe: what was saved stays saved.
The details are in the log file:
{path}

{error}</source>
      <translation>程式出現了意外錯誤。資料是安全的:已儲存的內容不受影響。
詳細資訊記錄在日誌檔案中:
{path}

{error}</translation>
    </message>
    <message>
      <location filename="../../ui/crash_dialog.py" line="19" />
      <source>Unexpected error</source>
      <translation>程式錯誤</translation>
    </message>
  </context>
  <context>
    <name>CreditDialog</name>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="127" />
      <source>Approval by</source>
      <translation>審批人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="109" />
      <source>Approval requests</source>
      <translation>超限審批申請</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="137" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="81" />
      <source>Check</source>
      <translation>核對</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="77" />
      <source>Check an order</source>
      <translation>核對訂單</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="263" />
      <source>Choose a request first.</source>
      <translation>請先選擇一份申請。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="136" />
      <source>Comment (required when refusing)</source>
      <translation>審批意見(不批准時必填)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="71" />
      <source>Credit grade</source>
      <translation>信用等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="58" />
      <source>Credit limit</source>
      <translation>信用額度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="64" />
      <source>Credit position of {name}</source>
      <translation>{name} 的信用情況</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="90" />
      <source>File request for approval</source>
      <translation>提交超限審批申請</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="127" />
      <source>Filed by / reason</source>
      <translation>申請人 / 理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="173" />
      <source>Grade {grade}</source>
      <translation>{grade}級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="74" />
      <source>Headroom</source>
      <translation>剩餘額度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Limit</source>
      <translation>額度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Order amount</source>
      <translation>訂單金額</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="94" />
      <source>Order amount (yuan)</source>
      <translation>訂單金額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="232" />
      <source>Over the limit by {over}: needs approval by {who}.</source>
      <translation>超出信用額度 {over}:需{who}審批。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="116" />
      <source>Print approval form…</source>
      <translation>列印審批單…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="100" />
      <source>Reason</source>
      <translation>申請理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="138" />
      <source>Refuse</source>
      <translation>不批准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="253" />
      <source>Request filed: waiting for the approval of {who}.</source>
      <translation>申請已提交,等待{who}審批。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="120" />
      <source>Show</source>
      <translation>顯示</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="127" />
      <source>State</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="114" />
      <source>This customer's requests</source>
      <translation>該客戶的申請</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Unpaid</source>
      <translation>未收回款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="73" />
      <source>Unpaid receivables</source>
      <translation>未收回款(應收未付)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="113" />
      <source>Waiting for my approval</source>
      <translation>待我審批</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="88" />
      <source>Why credit over the limit should be given</source>
      <translation>說明為何需要超出信用額度供貨</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="229" />
      <source>Within the limit: {left} left after this order.</source>
      <translation>在信用額度以內:本單後剩餘額度 {left}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="175" />
      <source>none — payment first</source>
      <translation>無(先款後貨)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="173" />
      <source>not graded</source>
      <translation>未評定</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="44" />
      <source>{amount} yuan</source>
      <translation>{amount} 元</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="301" />
      <source>{customer}: {state}.</source>
      <translation>{customer}:{state}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="50" />
      <source>{first}, then {second}</source>
      <translation>{first}、{second}依次</translation>
    </message>
  </context>
  <context>
    <name>CustomerActions</name>
    <message>
      <location filename="../../ui/customers/actions.py" line="37" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="22" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="33" />
      <source>Export customers</source>
      <translation>匯出客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="49" />
      <source>Exported {n} customers to {path}</source>
      <translation>已匯出 {n} 個客戶到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="37" />
      <source>Exporting…</source>
      <translation>正在匯出…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="22" />
      <source>Import customers</source>
      <translation>匯入客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="70" />
      <source>Print customer card</source>
      <translation>列印客戶檔案</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="67" />
      <source>Select a customer first.</source>
      <translation>請先選擇一個客戶。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="97" />
      <source>{n} customers handed over.</source>
      <translation>已移交 {n} 個客戶。</translation>
    </message>
  </context>
  <context>
    <name>CustomerDialogs</name>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="68" />
      <source>Add to blacklist</source>
      <translation>列入黑名單</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="116" />
      <source>All customers with their archives, the visit plans not yet made and the open follow-ups move to the successor; the leaver is marked inactive.</source>
      <translation>全部客戶及其檔案、尚未執行的拜訪計劃和未完成的跟進事項都移交給接手人;調離人標記為離職。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="45" />
      <source>Blacklisted</source>
      <translation>黑名單</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="51" />
      <source>Create anyway</source>
      <translation>仍然新建</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="74" />
      <source>Criterion</source>
      <translation>列入標準</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="74" />
      <source>Criterion for removal</source>
      <translation>移出標準</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="113" />
      <source>Disable the leaver's login in the same step</source>
      <translation>同時停用調離人的登入賬號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="104" />
      <source>Hand over a leaving rep's customers</source>
      <translation>員工調離移交</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="111" />
      <source>Leaving rep</source>
      <translation>調離人員</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="50" />
      <source>Merge into existing</source>
      <translation>合併到已有客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="50" />
      <source>Open existing</source>
      <translation>開啟已有客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="39" />
      <source>Possible duplicate</source>
      <translation>可能重複的客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="75" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="68" />
      <source>Remove from blacklist</source>
      <translation>移出黑名單</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="112" />
      <source>Successor</source>
      <translation>接任人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="42" />
      <source>These customers look like the one you are creating:</source>
      <translation>以下客戶與正在新建的客戶相似:</translation>
    </message>
  </context>
  <context>
    <name>CustomerListModel</name>
    <message>
      <location filename="../../ui/customers/list_model.py" line="123" />
      <source>Blacklisted</source>
      <translation>黑名單</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="24" />
      <source>Code</source>
      <translation>客戶編號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="25" />
      <source>Customer name</source>
      <translation>客戶名稱</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="50" />
      <source>Due soon</source>
      <translation>即將到期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="27" />
      <source>Grade</source>
      <translation>等級</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="28" />
      <source>Industry</source>
      <translation>行業</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="50" />
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="50" />
      <source>Overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="30" />
      <source>Owner</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="31" />
      <source>Phone</source>
      <translation>電話</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="32" />
      <source>Re-verification</source>
      <translation>重新核定</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="29" />
      <source>Region</source>
      <translation>區域</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="26" />
      <source>Status</source>
      <translation>合作狀態</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="131" />
      <source>This customer is on the blacklist</source>
      <translation>該客戶已列入黑名單</translation>
    </message>
  </context>
  <context>
    <name>CustomerTab</name>
    <message>
      <location filename="../../ui/customers/tab.py" line="66" />
      <source>All grades</source>
      <translation>全部等級</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="202" />
      <source>All owners</source>
      <translation>全部負責人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="199" />
      <source>All regions</source>
      <translation>全部區域</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="65" />
      <source>All statuses</source>
      <translation>全部狀態</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="145" />
      <source>Archive</source>
      <translation>檔案</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="142" />
      <source>Basic data</source>
      <translation>基本資料</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="70" />
      <source>Blacklist: all</source>
      <translation>黑名單:全部</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="333" />
      <source>Blacklisted</source>
      <translation>已列入黑名單</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="69" />
      <source>Blacklisted only</source>
      <translation>僅黑名單客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="121" />
      <source>Blacklist…</source>
      <translation>黑名單…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="144" />
      <source>Contact staff</source>
      <translation>聯絡人員</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="339" />
      <source>Contact staff short</source>
      <translation>聯絡人員不足</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="74" />
      <source>Contact staff: all</source>
      <translation>聯絡人員:全部</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="66" />
      <source>Grade {g}</source>
      <translation>{g}級</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="146" />
      <source>History</source>
      <translation>修改記錄</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="73" />
      <source>Important, short of contact staff</source>
      <translation>重要客戶聯絡人員不足</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="143" />
      <source>Key persons</source>
      <translation>關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="120" />
      <source>Mark re-verified</source>
      <translation>標記為已核定</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="418" />
      <source>Merge</source>
      <translation>合併</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="116" />
      <source>New customer</source>
      <translation>新建客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="249" />
      <source>No customer matches. Try fewer letters or clear the filters.</source>
      <translation>沒有符合條件的客戶。請少輸入幾個字,或清除篩選條件。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="111" />
      <source>No customer selected</source>
      <translation>未選擇客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="251" />
      <source>No customers yet.
Click “New customer”, or import a list with File → Import customers from Excel.</source>
      <translation>還沒有客戶。
請點選“新建客戶”,或透過 檔案 → 從 Excel 匯入客戶 匯入名單。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="69" />
      <source>Not blacklisted</source>
      <translation>非黑名單客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="384" />
      <source>Not saved: please correct the marked fields.</source>
      <translation>未儲存:請更正標出的欄位。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="336" />
      <source>Re-verification due</source>
      <translation>待重新核定</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="336" />
      <source>Re-verification overdue</source>
      <translation>重新核定已逾期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="72" />
      <source>Re-verification: all</source>
      <translation>重新核定:全部</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="117" />
      <source>Save</source>
      <translation>儲存</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="394" />
      <source>Saved.</source>
      <translation>已儲存。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="397" />
      <source>Saved. The card belongs to its owner's department; you may not open it.</source>
      <translation>已儲存。該客戶歸屬負責人所在部門,您無權開啟。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="256" />
      <source>Search failed: {e}</source>
      <translation>搜尋失敗:{e}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="63" />
      <source>Search name, pinyin, initials, phone, code or credit code</source>
      <translation>搜尋名稱、拼音、首字母、電話、客戶編號或信用程式碼</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="224" />
      <source>Searching…</source>
      <translation>正在搜尋…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="278" />
      <source>The card has unsaved changes. Save them first?</source>
      <translation>客戶關係卡有未儲存的修改,是否先儲存?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="278" />
      <source>Unsaved changes</source>
      <translation>未儲存的修改</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="232" />
      <source>{n} customers</source>
      <translation>共 {n} 個客戶</translation>
    </message>
  </context>
  <context>
    <name>DeskPanel</name>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="123" />
      <source>Amount (yuan)</source>
      <translation>金額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="92" />
      <source>Approval number, only below the minimum ratio</source>
      <translation>特批文號(僅低於最低付款比例時填寫)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="183" />
      <source>Audit note: {flag}</source>
      <translation>審計提示:{flag}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="69" />
      <source>Authorise out of order…</source>
      <translation>授權越序選房…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="285" />
      <source>Authorised: {name} may choose now</source>
      <translation>已授權:{name} 現在可以選房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="85" />
      <source>Choose a flat on the grid (arrow keys, Enter)</source>
      <translation>請在銷控表中選擇房源(方向鍵 + 回車)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="292" />
      <source>Desk 1</source>
      <translation>1號臺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="104" />
      <source>Discounts taken</source>
      <translation>享受的優惠</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="251" />
      <source>Enter the amount in yuan, e.g. 20000 or 20000.50</source>
      <translation>請按元填寫金額,例如 20000 或 20000.50</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="98" />
      <source>Flat</source>
      <translation>房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="124" />
      <source>For</source>
      <translation>收款事由</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="133" />
      <source>Issue certificate (Enter; the ticket's reviewer signs)</source>
      <translation>開選房憑證(回車;由該票的複核人簽署)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="94" />
      <source>Issue ticket (Enter)</source>
      <translation>開選房工作票(回車)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="62" />
      <source>No buyer yet</source>
      <translation>尚未核實購房者</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="273" />
      <source>Out of order</source>
      <translation>越序選房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="125" />
      <source>Paid by</source>
      <translation>付款方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="167" />
      <source>Paid {paid} of {due} due now; certificate: {cert}</source>
      <translation>已收 {paid} 元,本次應收 {due} 元;選房憑證:{cert}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="99" />
      <source>Payment ratio</source>
      <translation>付款比例</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="100" />
      <source>Ratio approval</source>
      <translation>比例特批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="110" />
      <source>Receipt</source>
      <translation>收款</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="118" />
      <source>Receive and issue receipt</source>
      <translation>收款並開收據</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="60" />
      <source>Scan the ID card or the ticket's QR code, or type the number; Enter</source>
      <translation>掃描身份證或選房工作票二維碼,或輸入號碼;回車</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="131" />
      <source>Selection certificate</source>
      <translation>選房憑證</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="84" />
      <source>Selection ticket</source>
      <translation>選房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="181" />
      <source>Ticket {number}: {flat}</source>
      <translation>工作票 {number}:{flat}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="271" />
      <source>Verify a buyer without a ticket first</source>
      <translation>請先核實一位尚未開票的購房者</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="273" />
      <source>Why may {name} choose before their number is called?</source>
      <translation>{name} 未叫到號先選房的原因:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="153" />
      <source>{flat}, {area} m², {price}/m²
total {total}</source>
      <translation>{flat},{area} ㎡,單價 {price} 元/㎡
總價 {total} 元</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="179" />
      <source>{name}  list no. {no}  selection order {order}</source>
      <translation>{name}  名單序號 {no}  選房順序號 {order}</translation>
    </message>
  </context>
  <context>
    <name>DuplicatesDialog</name>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="56" />
      <source>Cards with the same name (simplified or traditional), unified social credit code or phone number. Merging moves everything of the second card to the first: key persons, archive, sales, payments, visits, complaints.</source>
      <translation>名稱(簡繁體視為相同)、統一社會信用程式碼或電話相同的客戶卡片。合併會把第二張卡片的全部內容移到第一張:關鍵人、檔案、銷售、回款、拜訪、投訴。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="49" />
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="35" />
      <source>Find duplicate customers</source>
      <translation>查詢重複客戶</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="23" />
      <source>Keep (older card)</source>
      <translation>保留(較早的卡片)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="23" />
      <source>Merge into it</source>
      <translation>併入該卡片</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="47" />
      <source>Merge the selected pair</source>
      <translation>合併所選的一對</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="78" />
      <source>Merge {second} into {first}?</source>
      <translation>把 {second} 併入 {first}?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="89" />
      <source>Merged {second} into {first}.</source>
      <translation>已把 {second} 併入 {first}。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="37" />
      <source>No duplicates found: no two cards share a name, credit code or phone number.</source>
      <translation>沒有發現重複:沒有兩張卡片的名稱、統一社會信用程式碼或電話相同。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="23" />
      <source>Why</source>
      <translation>原因</translation>
    </message>
  </context>
  <context>
    <name>EvaluationDialog</name>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="150" />
      <source> → suggested {n}</source>
      <translation> → 建議 {n} 分</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="60" />
      <source>Basis of the score</source>
      <translation>得分依據</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="238" />
      <source>Choose a customer</source>
      <translation>請選擇客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="112" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="45" />
      <source>Customer relationship evaluation (客户关系评估表)</source>
      <translation>客戶關係評估表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="126" />
      <source>Earlier evaluations of this customer (select one to print it)</source>
      <translation>該客戶以往的評估(選中一條可列印)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="113" />
      <source>Evaluated on</source>
      <translation>評估日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="81" />
      <source>Evaluator</source>
      <translation>評估人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="92" />
      <source>Fill suggested scores</source>
      <translation>填入建議分數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="155" />
      <source>From the records: {n} of {m} indicators have a suggested score (see the basis column).</source>
      <translation>依據銷售與回款記錄:{m} 項指標中 {n} 項有建議分數(見“評分依據”列)。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Grade</source>
      <translation>等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Indicator</source>
      <translation>評估指標</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="60" />
      <source>Note</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="103" />
      <source>Print…</source>
      <translation>列印…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="81" />
      <source>Result</source>
      <translation>評估結果</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="98" />
      <source>Result and suggestions (评估结果及建议)</source>
      <translation>評估結果及建議</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="255" />
      <source>Saved: {result}, total {total}.</source>
      <translation>已儲存:{result},總分 {total}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Score (0–100)</source>
      <translation>得分(0–100)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="219" />
      <source>Scored {n} of {m} indicators</source>
      <translation>已評 {n} / {m} 項指標</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="94" />
      <source>Scores read from the sales and payment records, the way the 100-point grading reads them; only empty scores are filled, change any of them</source>
      <translation>按百分制分級的讀法從銷售與回款記錄得出的分數;只填入空白的分數,均可修改</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="214" />
      <source>The score of {name} is not a number.</source>
      <translation>“{name}”的得分不是數字。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="81" />
      <source>Total</source>
      <translation>合計得分</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="224" />
      <source>Total {total} of 100, grade {grade}</source>
      <translation>合計 {total} 分(標準分 100),等級 {grade}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="234" />
      <source>Type a date like 2026-11-25</source>
      <translation>請按 2026-11-25 的格式填寫日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Weight</source>
      <translation>指標權重</translation>
    </message>
  </context>
  <context>
    <name>EventSetup</name>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="54" />
      <source>(no customer card)</source>
      <translation>(不關聯客戶卡片)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="66" />
      <source>(none)</source>
      <translation>(無戶型)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="174" />
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="151" />
      <source>Approval chain</source>
      <translation>價格審批鏈</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Area m²</source>
      <translation>面積 m²</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="23" />
      <source>As read out by the notary, e.g. 07 23 41 18</source>
      <translation>按公證員宣讀填寫,例如 07 23 41 18</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="59" />
      <source>Audit flag</source>
      <translation>審計提示</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="112" />
      <source>Available flats (Ctrl/Shift to choose several)</source>
      <translation>可釋放房源(按住 Ctrl/Shift 多選)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="99" />
      <source>Average price 均价 (yuan/m²)</source>
      <translation>均價(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="100" />
      <source>Base floor</source>
      <translation>基準樓層</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="56" />
      <source>Building</source>
      <translation>樓號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="46" />
      <source>Buyer list</source>
      <translation>購房者名單</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="128" />
      <source>Choose by</source>
      <translation>選房截止</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="39" />
      <source>Commissioning unit</source>
      <translation>委建房單位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="45" />
      <source>Commissioning units</source>
      <translation>委建房單位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="36" />
      <source>Create project</source>
      <translation>建立專案</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="66" />
      <source>Customer card</source>
      <translation>客戶卡片</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="132" />
      <source>Deadlines for this unit</source>
      <translation>本單位截止時間</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="155" />
      <source>Deadlines saved</source>
      <translation>截止時間已儲存</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="69" />
      <source>Deposit (yuan)</source>
      <translation>封戶費(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="42" />
      <source>Developer company</source>
      <translation>開發公司</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="61" />
      <source>Differential (yuan/m²)</source>
      <translation>差價(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>Draw order</source>
      <translation>選房順序號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="93" />
      <source>Draw result — {unit}</source>
      <translation>機選結果 — {unit}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="66" />
      <source>Drawn {at} by {by}, notary {notary}; seed “{seed}”, list hash {hash}.</source>
      <translation>{at} 由 {by} 機選,公證員 {notary};種子“{seed}”,名單摘要 {hash}。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="47" />
      <source>Eligible</source>
      <translation>透過</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="30" />
      <source>Event set-up</source>
      <translation>選房活動設定</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="89" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="55" />
      <source>Find</source>
      <translation>查詢</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Flat</source>
      <translation>房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="56" />
      <source>Flats</source>
      <translation>套數</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Floor</source>
      <translation>樓層</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="179" />
      <source>Fully approved.</source>
      <translation>審批已完成。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="104" />
      <source>Ground-floor discount (yuan/m²)</source>
      <translation>首層優惠(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="68" />
      <source>Housing stock of the project</source>
      <translation>專案房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>ID number</source>
      <translation>身份證號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="89" />
      <source>Import buyer list</source>
      <translation>匯入購房者名單</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="43" />
      <source>Import buyer list from Excel…</source>
      <translation>從 Excel 匯入購房者名單…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="93" />
      <source>Import stock</source>
      <translation>匯入房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="48" />
      <source>Import stock from Excel…</source>
      <translation>從 Excel 匯入房源…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="96" />
      <source>Importing {file}…</source>
      <translation>正在匯入 {file}…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="34" />
      <source>Letters, e.g. JY (starts document numbers)</source>
      <translation>字母,例如 JY(單據編號字首)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="68" />
      <source>Minimum payment ratio (%)</source>
      <translation>最低首付比例(%)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="135" />
      <source>Name of the signer</source>
      <translation>籤批人姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="72" />
      <source>New commissioning unit</source>
      <translation>新建委建房單位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="45" />
      <source>New project</source>
      <translation>新建專案</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="181" />
      <source>Next: {role}</source>
      <translation>下一位:{role}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="209" />
      <source>No customer matches “{q}”.</source>
      <translation>沒有與“{q}”相符的客戶。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>No.</source>
      <translation>序號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="70" />
      <source>Not drawn yet. Every buyer on the list must be reviewed first.</source>
      <translation>尚未機選。名單上每位購房者須先完成資格審查。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="47" />
      <source>Not eligible</source>
      <translation>不透過</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="56" />
      <source>Not yet released</source>
      <translation>未釋放</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="47" />
      <source>Notarised draw</source>
      <translation>公證機選</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="39" />
      <source>Notary</source>
      <translation>公證員</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="129" />
      <source>Note</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="136" />
      <source>Note (optional)</source>
      <translation>備註(可不填)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="34" />
      <source>Order</source>
      <translation>順序號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="74" />
      <source>Paper approval</source>
      <translation>紙面審批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="53" />
      <source>Part of the customer name</source>
      <translation>客戶名稱中的字</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="129" />
      <source>Pay by</source>
      <translation>交款截止</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/common.py" line="53" />
      <source>Please correct the marked fields.</source>
      <translation>請修改標紅的欄目。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="118" />
      <source>Price list</source>
      <translation>價格表</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="108" />
      <source>Price rules</source>
      <translation>定價規則</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="177" />
      <source>Price the flats first.</source>
      <translation>請先定價。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="95" />
      <source>Price the released flats</source>
      <translation>為已釋放房源定價</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="203" />
      <source>Priced; weighted average {average}. The approval chain starts again.</source>
      <translation>已定價,加權均價 {average}。價格審批需重新籤批。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="46" />
      <source>Pricing and approval</source>
      <translation>定價與審批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="26" />
      <source>Print the result…</source>
      <translation>印表機選結果…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="53" />
      <source>Problem</source>
      <translation>問題</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="36" />
      <source>Project</source>
      <translation>專案</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="45" />
      <source>Project and stock</source>
      <translation>專案與房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="40" />
      <source>Project code</source>
      <translation>專案程式碼</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="41" />
      <source>Project name</source>
      <translation>專案名稱</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="89" />
      <source>Project {name} created.</source>
      <translation>專案 {name} 已建立。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="137" />
      <source>Record signature</source>
      <translation>登記籤批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Recorded by</source>
      <translation>登記人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="183" />
      <source>Register a unit, then release flats to it.</source>
      <translation>先登記委建房單位,再釋放房源。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="61" />
      <source>Register unit</source>
      <translation>登記單位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="97" />
      <source>Relationship flats, approved on paper:</source>
      <translation>關係房,紙面審批:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="100" />
      <source>Release the selected flats to this unit</source>
      <translation>將選中的房源釋放給本單位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="182" />
      <source>Released to {unit}: {n} flats</source>
      <translation>已釋放給{unit}:{n} 套</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>Review</source>
      <translation>資格審查</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Role</source>
      <translation>職務</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="53" />
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="24" />
      <source>Run the draw</source>
      <translation>開始機選</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="124" />
      <source>Save deadlines</source>
      <translation>儲存截止時間</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="128" />
      <source>Save the buyer-list template</source>
      <translation>儲存購房者名單模板</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="45" />
      <source>Save the buyer-list template…</source>
      <translation>儲存購房者名單模板…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="118" />
      <source>Save the stock template</source>
      <translation>儲存房源表模板</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="50" />
      <source>Save the stock template…</source>
      <translation>儲存房源表模板…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="38" />
      <source>Seed</source>
      <translation>種子</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="86" />
      <source>Select all shown</source>
      <translation>全選所列</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="67" />
      <source>Selected rows:</source>
      <translation>選中行:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Signed at</source>
      <translation>籤批時間</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Signed by</source>
      <translation>籤批人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Step</source>
      <translation>環節</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="101" />
      <source>Step per floor above it (yuan/m²)</source>
      <translation>基準層以上每層加價(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="132" />
      <source>Template saved: {file}</source>
      <translation>模板已儲存:{file}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/common.py" line="66" />
      <source>The import failed and nothing was imported: {error}</source>
      <translation>匯入失敗,未匯入任何行:{error}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="81" />
      <source>The selection order is drawn and stored.</source>
      <translation>選房順序已機選並儲存。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="102" />
      <source>Top floor</source>
      <translation>頂層</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="103" />
      <source>Top-floor discount (yuan/m²)</source>
      <translation>頂層優惠(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Total</source>
      <translation>總價</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Type</source>
      <translation>戶型</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="65" />
      <source>Unit name</source>
      <translation>單位名稱</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="61" />
      <source>Unit type</source>
      <translation>戶型</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="226" />
      <source>Unit {name} registered.</source>
      <translation>委建房單位 {name} 已登記。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="28" />
      <source>Verify</source>
      <translation>核驗機選</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="144" />
      <source>Write the time as 2026-12-05 18:00</source>
      <translation>請按 2026-12-05 18:00 的格式填寫</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Yuan/m²</source>
      <translation>單價(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="123" />
      <source>e.g. 2026-12-05 18:00, empty for none</source>
      <translation>例如 2026-12-05 18:00,不設截止則留空</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="99" />
      <source>e.g. 总经理办公会纪要 2026-11 第3号</source>
      <translation>例如 總經理辦公會紀要 2026-11 第3號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="57" />
      <source>eligible</source>
      <translation>透過</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="91" />
      <source>none</source>
      <translation>無</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="57" />
      <source>not eligible</source>
      <translation>不透過</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="57" />
      <source>pending</source>
      <translation>待審查</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="215" />
      <source>{name} signed as {role}.</source>
      <translation>{name} 已作為{role}籤批。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="105" />
      <source>{n} buyers imported; {f} flagged for audit (orange).</source>
      <translation>已匯入 {n} 位購房者,其中 {f} 位需審計關注(橙色)。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="108" />
      <source>{n} flats imported.</source>
      <translation>已匯入 {n} 套房源。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="243" />
      <source>{n} flats released to {unit}.</source>
      <translation>已釋放 {n} 套房源給{unit}。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="123" />
      <source>{n} marked eligible.</source>
      <translation>{n} 人資格審查透過。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="123" />
      <source>{n} marked not eligible.</source>
      <translation>{n} 人資格審查不透過。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="83" />
      <source>{n} on the list · {ok} eligible · {no} not eligible · {todo} pending · {flag} flagged for audit</source>
      <translation>名單 {n} 人 · 透過 {ok} · 不透過 {no} · 待審查 {todo} · 審計關注 {flag}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="166" />
      <source>均价 approved: {approved}    weighted average of the list: {average}</source>
      <translation>審批均價:{approved}    價格表加權均價:{average}</translation>
    </message>
  </context>
  <context>
    <name>GradingResults</name>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Change</source>
      <translation>變化</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Code</source>
      <translation>客戶程式碼</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Computed</source>
      <translation>計算等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Customer</source>
      <translation>客戶名稱</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Grade</source>
      <translation>等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Industry</source>
      <translation>業種</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Override reason</source>
      <translation>調整原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Previous</source>
      <translation>上次等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Rank</source>
      <translation>名次</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Sales</source>
      <translation>銷售額</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Score</source>
      <translation>得分</translation>
    </message>
  </context>
  <context>
    <name>GradingTab</name>
    <message>
      <location filename="../../ui/grading/tab.py" line="178" />
      <source> (customer grade)</source>
      <translation>(客戶等級)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="249" />
      <source>({n} without sales keep their grade on commit)</source>
      <translation>(其中 {n} 戶無銷售,確認時保留原等級)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="70" />
      <source>Advancement</source>
      <translation>客戶進階</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>All changes</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="153" />
      <source>Choose a scheme and a year, then run the grading.</source>
      <translation>請選擇分級方案和年度,然後計算分級。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="112" />
      <source>Commit</source>
      <translation>確認分級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="337" />
      <source>Commit grading</source>
      <translation>確認分級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="343" />
      <source>Commit the {year} grading by {scheme}? A committed grading is kept as it is and cannot be changed.</source>
      <translation>確認{year}年度“{scheme}”的分級嗎?確認後的分級將原樣儲存,不能再修改。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="355" />
      <source>Committed; {n} customer cards changed grade.</source>
      <translation>已確認;{n} 個客戶卡片的等級隨之變更。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="268" />
      <source>Credit grades: last committed {last}, next re-check due {due}.</source>
      <translation>信用等級:上次確認 {last},下次複核到期 {due}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="266" />
      <source>Credit grades: never committed — run and commit the credit scheme.</source>
      <translation>信用等級:尚未確認過——請計算並確認信用等級方案。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>Down</source>
      <translation>降級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="379" />
      <source>Export grading</source>
      <translation>匯出客戶分級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="114" />
      <source>Export to Excel…</source>
      <translation>匯出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="390" />
      <source>Exported {n} rows to {file}.</source>
      <translation>已匯出 {n} 行到 {file}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="65" />
      <source>Grading runs</source>
      <translation>分級計算</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="396" />
      <source>Grading table PDF</source>
      <translation>客戶分級表 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="300" />
      <source>Grading…</source>
      <translation>正在計算分級…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="75" />
      <source>Key customers and evaluation</source>
      <translation>重點客戶與關係評估</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="110" />
      <source>Override…</source>
      <translation>調整等級…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="83" />
      <source>Payment-term drops</source>
      <translation>付款條件降級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="116" />
      <source>Print grading table…</source>
      <translation>列印客戶分級表…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="105" />
      <source>Run grading</source>
      <translation>計算分級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="80" />
      <source>Sales and payments</source>
      <translation>銷售與回款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="124" />
      <source>Scheme</source>
      <translation>分級方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="118" />
      <source>Schemes…</source>
      <translation>方案…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="326" />
      <source>Select a customer in the table first.</source>
      <translation>請先在表中選擇一個客戶。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="126" />
      <source>Show</source>
      <translation>顯示</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="145" />
      <source>Snapshots (newest first)</source>
      <translation>分級記錄(最新在前)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="44" />
      <source>Unchanged</source>
      <translation>不變</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>Up</source>
      <translation>升級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="124" />
      <source>Year</source>
      <translation>年度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="251" />
      <source>committed</source>
      <translation>已確認</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="198" />
      <source>draft</source>
      <translation>草稿</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="251" />
      <source>draft — not yet committed</source>
      <translation>草稿(尚未確認)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="242" />
      <source>ungraded (no sales) {n}</source>
      <translation>未分級(無銷售){n}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="364" />
      <source>{customer}: advancement {number} approved on {day} — keeps grade {grade} this year (computed {computed}).</source>
      <translation>{customer}:進階申請{number}已於{day}批准——本年度保留{grade}級(計算結果{computed})。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="371" />
      <source>{n} customers without sales in the year keep the grade on their card (marked "no sales"); override a row first to grade it.</source>
      <translation>{n} 戶客戶本年度無銷售,保留卡片上的原等級(標註“無銷售”);如要定級,請先逐戶調整。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="252" />
      <source>{year} · {scheme} · {state} · {count} customers · {grades} · {changes}</source>
      <translation>{year}年度 · {scheme} · {state} · 共 {count} 戶 · {grades} · {changes}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="369" />
      <source>… and {n} more advancements.</source>
      <translation>……另有 {n} 份進階申請。</translation>
    </message>
  </context>
  <context>
    <name>GradingTablesPanel</name>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="40" />
      <source>Actions to reach the target</source>
      <translation>實現目標的行動措施</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="188" />
      <source>Add customer</source>
      <translation>新增客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="108" />
      <source>Add selected to key customers</source>
      <translation>將所選客戶列為重點客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="214" />
      <source>Basic policy for more important customers</source>
      <translation>擴大重要客戶數量的基本方針</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="41" />
      <source>Chairman's opinion</source>
      <translation>董事長意見</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="44" />
      <source>Countermeasures</source>
      <translation>應對策略</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="43" />
      <source>Customer</source>
      <translation>客戶名稱</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="356" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="355" />
      <source>Export Excel</source>
      <translation>匯出 Excel</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="287" />
      <source>Export Excel…</source>
      <translation>匯出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="96" />
      <source>Growth</source>
      <translation>增長率</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="300" />
      <source>Important customers (重要客户对策表)</source>
      <translation>重要客戶對策表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="38" />
      <source>Key customer</source>
      <translation>重點管理客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="299" />
      <source>Key customers (重点客户管理表)</source>
      <translation>重點客戶管理表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="124" />
      <source>Key customers of the year (double-click a cell to edit)</source>
      <translation>本年度重點管理客戶(雙擊單元格修改)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="46" />
      <source>Location</source>
      <translation>所在位置</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="97" />
      <source>Margin</source>
      <translation>利潤率</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="40" />
      <source>Marketing GM's suggestion</source>
      <translation>營銷中心總經理建議</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="217" />
      <source>Notes</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="205" />
      <source>Period</source>
      <translation>期間</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="289" />
      <source>Print…</source>
      <translation>列印…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="301" />
      <source>Problem customers (问题客户对策表)</source>
      <translation>問題客戶對策表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="283" />
      <source>Relationship evaluation…</source>
      <translation>客戶關係評估…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="111" />
      <source>Remove from key customers</source>
      <translation>移出重點客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="191" />
      <source>Remove row</source>
      <translation>刪除該行</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="43" />
      <source>Responsible</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="95" />
      <source>Sales (yuan)</source>
      <translation>銷售額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="45" />
      <source>Sales scope</source>
      <translation>銷售範圍</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="43" />
      <source>Sales situation</source>
      <translation>銷售情況</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="39" />
      <source>Sales target (yuan)</source>
      <translation>銷售額目標(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="38" />
      <source>Sales this year (yuan)</source>
      <translation>本年銷售額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="201" />
      <source>Save notes</source>
      <translation>儲存備註</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="161" />
      <source>Select a customer in one of the lists first.</source>
      <translation>請先在排名中選擇一個客戶。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="47" />
      <source>Symptoms</source>
      <translation>問題表現</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="97" />
      <source>Top {n} by profit margin</source>
      <translation>銷售利潤率前{n}名</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="95" />
      <source>Top {n} by sales</source>
      <translation>銷售額前{n}名</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="96" />
      <source>Top {n} by sales growth</source>
      <translation>銷售增長率前{n}名</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="46" />
      <source>Trend of deterioration</source>
      <translation>惡化趨勢</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="44" />
      <source>Where the problem is</source>
      <translation>問題所在</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="39" />
      <source>Why a key customer</source>
      <translation>將其設為重點客戶的原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="304" />
      <source>Year</source>
      <translation>年度</translation>
    </message>
  </context>
  <context>
    <name>HistoryView</name>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Field</source>
      <translation>欄位</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>New value</source>
      <translation>新值</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="22" />
      <source>No changes recorded yet: every change to the card, its key persons and its archive will be listed here.</source>
      <translation>還沒有修改記錄:客戶卡片、關鍵人和檔案的每次修改都會列在這裡。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Old value</source>
      <translation>原值</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Record</source>
      <translation>物件</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Time</source>
      <translation>時間</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <location filename="../../ui/workbook_import.py" line="61" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="123" />
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="142" />
      <source>Import cancelled. Nothing was written.</source>
      <translation>匯入已取消,未寫入任何資料。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="20" />
      <source>Import customers — {name}</source>
      <translation>匯入客戶 — {name}</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="48" />
      <source>Import nothing if any row has an error (recommended)</source>
      <translation>任一行有錯誤則全部不匯入(推薦)</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="49" />
      <source>Import the valid rows; report the others</source>
      <translation>只匯入有效行,其餘行列入錯誤報告</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="37" />
      <source>Imported {ok} customers; {bad} rows with errors were not imported.</source>
      <translation>已匯入 {ok} 個客戶;{bad} 行有錯誤,未匯入。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="34" />
      <source>Nothing imported: {bad} of {total} rows have errors. Open the error report, correct the rows and import the file again.</source>
      <translation>未匯入任何資料:共 {total} 行,其中 {bad} 行有錯誤。請開啟錯誤報告,更正後重新匯入該檔案。</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="62" />
      <source>Open error report</source>
      <translation>開啟錯誤報告</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="44" />
      <source>Reading the workbook…</source>
      <translation>正在讀取工作簿…</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="116" />
      <source>Required columns missing: {cols}</source>
      <translation>缺少必填列:{cols}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="31" />
      <source>Row {row}: {message}</source>
      <translation>第{row}行:{message}</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="170" />
      <source>Save error report</source>
      <translation>儲存錯誤報告</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="63" />
      <source>Save error report as…</source>
      <translation>錯誤報告另存為…</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="114" />
      <source>Sheet “{sheet}”: </source>
      <translation>工作表“{sheet}”:</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="59" />
      <source>Start import</source>
      <translation>開始匯入</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="103" />
      <source>ignored</source>
      <translation>已忽略</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="112" />
      <source>{n} data rows; the first {k} are shown.</source>
      <translation>共 {n} 行資料,顯示前 {k} 行。</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="147" />
      <source>… and {n} more</source>
      <translation>……另有 {n} 條</translation>
    </message>
  </context>
  <context>
    <name>InquiriesPanel</name>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="70" />
      <source>(not a customer on file)</source>
      <translation>(非在冊客戶)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="97" />
      <source>Answer</source>
      <translation>答覆內容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Answer due</source>
      <translation>答覆期限</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="90" />
      <source>Answer {number}</source>
      <translation>答覆 {number}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="33" />
      <source>Answered</source>
      <translation>答覆時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="117" />
      <source>Answer…</source>
      <translation>答覆…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="156" />
      <source>Choose an inquiry in the list first.</source>
      <translation>請先在列表中選擇一條詢價。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="63" />
      <source>Contact</source>
      <translation>聯絡方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="63" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Customer / inquirer</source>
      <translation>客戶/詢價人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="65" />
      <source>Details</source>
      <translation>詳細內容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="62" />
      <source>Find customer</source>
      <translation>查詢客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="63" />
      <source>Inquirer</source>
      <translation>詢價人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Number</source>
      <translation>編號</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="33" />
      <source>Overdue</source>
      <translation>超時</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Received</source>
      <translation>收到時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="64" />
      <source>Received at</source>
      <translation>收到時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="46" />
      <source>Record an inquiry</source>
      <translation>登記客戶詢價</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="117" />
      <source>Record…</source>
      <translation>登記詢價…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Subject</source>
      <translation>摘要</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="159" />
      <source>This inquiry has been answered.</source>
      <translation>該詢價已經答覆。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="59" />
      <source>Type a name, pinyin or phone to find the customer</source>
      <translation>輸入名稱、拼音或電話查詢客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="115" />
      <source>Unanswered only</source>
      <translation>只看未答覆</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="143" />
      <source>{h} h</source>
      <translation>{h} 小時</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="144" />
      <source>{n} inquiries · {a} answered · {k} overdue ({w} still unanswered) · answered in time {rate} · mean answer {hours}</source>
      <translation>共 {n} 條詢價 · 已答覆 {a} 條 · 超時 {k} 條(其中 {w} 條仍未答覆)· 按時答覆率 {rate} · 平均答覆時間 {hours}</translation>
    </message>
  </context>
  <context>
    <name>KeyPersonsPanel</name>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="271" />
      <source>Add at least two key persons first</source>
      <translation>請先新增至少兩名關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="116" />
      <source>Add relation</source>
      <translation>新增關係</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="41" />
      <source>Address</source>
      <translation>住址</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Age</source>
      <translation>年齡</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Birthday</source>
      <translation>生日</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="223" />
      <source>Dates are written like 2026-11-25</source>
      <translation>日期格式如 2026-11-25</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="39" />
      <source>E-mail</source>
      <translation>郵箱</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="41" />
      <source>Education</source>
      <translation>學歷</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="42" />
      <source>Family</source>
      <translation>家庭</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="42" />
      <source>Hobbies</source>
      <translation>愛好</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="43" />
      <source>ID number</source>
      <translation>身份證號</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Key person</source>
      <translation>重點關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="88" />
      <source>Key person card (重点客户卡片)</source>
      <translation>重點關鍵人(建立重點客戶卡片)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="254" />
      <source>Key persons</source>
      <translation>關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="198" />
      <source>Key-customer card</source>
      <translation>重點客戶卡片</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="97" />
      <source>Key-customer card (PDF)…</source>
      <translation>重點客戶卡片(PDF)…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Mobile</source>
      <translation>手機</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="90" />
      <source>New person</source>
      <translation>新增關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="62" />
      <source>No key persons yet: fill in the form below and click “Save person”.</source>
      <translation>還沒有關鍵人:請填寫下方表單,然後點選“儲存關鍵人”。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="43" />
      <source>Notes</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="42" />
      <source>Personality</source>
      <translation>性格</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="39" />
      <source>Phone</source>
      <translation>電話</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Position</source>
      <translation>職位</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="128" />
      <source>Relations between key persons</source>
      <translation>關鍵人物關係表</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="92" />
      <source>Remove person</source>
      <translation>刪除關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="255" />
      <source>Remove {name} from this customer's key persons?</source>
      <translation>確定將 {name} 從該客戶的關鍵人中刪除嗎?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Role</source>
      <translation>決策作用</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="40" />
      <source>Role in the decision</source>
      <translation>決策作用</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="91" />
      <source>Save person</source>
      <translation>儲存關鍵人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="40" />
      <source>WeChat</source>
      <translation>微信</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="38" />
      <source>Work unit</source>
      <translation>工作單位</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="112" />
      <source>e.g. 上下级, 同学, 亲属</source>
      <translation>如:上下級、同學、親屬</translation>
    </message>
  </context>
  <context>
    <name>LaptopLogin</name>
    <message>
      <location filename="../../ui/sync/laptop_login.py" line="22" />
      <source>KeDesk — log in on this laptop</source>
      <translation>客臺 — 離線登入(本機副本)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/laptop_login.py" line="20" />
      <source>Offline replica: {path}</source>
      <translation>離線副本:{path}</translation>
    </message>
  </context>
  <context>
    <name>LedgerDialog</name>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Amount</source>
      <translation>金額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="51" />
      <source>Area</source>
      <translation>面積(m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="105" />
      <source>Balance on the bank statement (yuan), Enter</source>
      <translation>銀行對賬單餘額(元),回車登記</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="180" />
      <source>Bank balance {balance}; received up to this day {received} (cash {cash}); difference {diff}. {why}</source>
      <translation>銀行餘額 {balance};截至當日收款合計 {received}(其中現金 {cash});差額 {diff}。{why}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Buyer</source>
      <translation>購房人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Cancels</source>
      <translation>沖銷原單</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="52" />
      <source>Certificate</source>
      <translation>選房憑證號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="157" />
      <source>Choose by {choose}; pay by {pay}</source>
      <translation>選房截止:{choose};交款截止:{pay}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="75" />
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="65" />
      <source>Daily reconciliation</source>
      <translation>每日對賬</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="95" />
      <source>Day</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Detail</source>
      <translation>說明</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="101" />
      <source>Differences</source>
      <translation>差異</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Document</source>
      <translation>單據</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Due</source>
      <translation>應收(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="196" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="197" />
      <source>Export</source>
      <translation>匯出</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="72" />
      <source>Export to Excel…</source>
      <translation>匯出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="72" />
      <source>Export to PDF…</source>
      <translation>匯出 PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="217" />
      <source>Exported the reconciliation to {path}</source>
      <translation>已匯出共管賬戶對賬表:{path}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="207" />
      <source>Exported {n} rows to {path}</source>
      <translation>已匯出 {n} 行到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Flat</source>
      <translation>房號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Gap</source>
      <translation>差額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="51" />
      <source>ID number</source>
      <translation>身份證號碼</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Issued</source>
      <translation>開具時間</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Issued by</source>
      <translation>開具人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="111" />
      <source>Joint account balance at the end of the day</source>
      <translation>當日日終共管賬戶餘額</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Late for</source>
      <translation>逾期事項</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="66" />
      <source>Late list</source>
      <translation>逾期名單</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="63" />
      <source>Ledger</source>
      <translation>臺帳</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="44" />
      <source>Ledgers and reports</source>
      <translation>選房臺帳與報表</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="180" />
      <source>No bank balance recorded for this day yet.</source>
      <translation>當日尚未登記共管賬戶餘額。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="57" />
      <source>Note</source>
      <translation>說明</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Number</source>
      <translation>單號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="51" />
      <source>Order</source>
      <translation>順序號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="196" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF 檔案 (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="52" />
      <source>Paid</source>
      <translation>已付(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="115" />
      <source>Paid by</source>
      <translation>付款方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="52" />
      <source>Price per m²</source>
      <translation>單價(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="115" />
      <source>Receipts</source>
      <translation>筆數</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Received</source>
      <translation>實收(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="171" />
      <source>Received {received} (by method: {methods}; by purpose: {purposes}). Due on the day's tickets {due}, house payments against them {house}.</source>
      <translation>當日實收 {received} 元(按付款方式:{methods};按事由:{purposes})。當日開票應收 {due} 元,對應房款實收 {house} 元。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Reference</source>
      <translation>序號/單號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="68" />
      <source>Relationship flats</source>
      <translation>關係房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="115" />
      <source>Running total</source>
      <translation>累計</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="64" />
      <source>Selection list</source>
      <translation>選房明細表</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Short</source>
      <translation>欠款(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Summary</source>
      <translation>摘要</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Ticket</source>
      <translation>選房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="52" />
      <source>Total</source>
      <translation>總價(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="158" />
      <source>not set</source>
      <translation>未設定</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../../ui/login_dialog.py" line="77" />
      <source>Choose a new password</source>
      <translation>設定新密碼</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="92" />
      <source>Choose a password different from the temporary one</source>
      <translation>新密碼不能與臨時密碼相同</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="120" />
      <source>Full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="23" />
      <source>KeDesk — log in</source>
      <translation>客臺 — 登入</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="42" />
      <source>Log in</source>
      <translation>登入</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="82" />
      <source>New password</source>
      <translation>新密碼</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="34" />
      <source>Password</source>
      <translation>密碼</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="83" />
      <source>Password again</source>
      <translation>確認密碼</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="57" />
      <source>The administrator reset your password: choose a new one to log in.</source>
      <translation>管理員已重置您的密碼:請設定新密碼後登入。</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="81" />
      <source>The administrator set a temporary password. Choose your own.</source>
      <translation>管理員為您設定了臨時密碼,請設定您自己的密碼。</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="89" />
      <source>The two passwords differ</source>
      <translation>兩次輸入的密碼不一致</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="117" />
      <source>This database has no users yet. Create the administrator account; the administrator then creates the other users.</source>
      <translation>這個資料庫還沒有使用者。請先建立管理員賬號,再由管理員建立其他使用者。</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="33" />
      <source>User name</source>
      <translation>使用者名稱</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="111" />
      <source>Welcome to KeDesk</source>
      <translation>歡迎使用客臺</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="83" />
      <source>&amp;Administration</source>
      <translation>管理(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="70" />
      <source>&amp;File</source>
      <translation>檔案(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="100" />
      <source>&amp;Help</source>
      <translation>幫助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="101" />
      <source>About KeDesk</source>
      <translation>關於客臺</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="81" />
      <source>Backup and restore…</source>
      <translation>備份與恢復…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="84" />
      <source>Borrow archives…</source>
      <translation>檔案借閱…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="91" />
      <source>Business rules…</source>
      <translation>業務規則…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="89" />
      <source>Card updates due (24 hours)…</source>
      <translation>待錄入的資料變更(24小時)…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="28" />
      <source>Customer cards</source>
      <translation>客戶關係卡</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="33" />
      <source>Customer grading</source>
      <translation>客戶分級</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="76" />
      <source>Export current list to Excel…</source>
      <translation>匯出當前列表到 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="87" />
      <source>Find duplicate customers…</source>
      <translation>查詢重複客戶…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="85" />
      <source>Hand over a leaving rep's customers…</source>
      <translation>員工調離移交…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="39" />
      <source>House selection</source>
      <translation>選房票務</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="74" />
      <source>Import customers from Excel…</source>
      <translation>從 Excel 匯入客戶…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="24" />
      <source>KeDesk</source>
      <translation>客臺</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="109" />
      <source>KeDesk {version}: customer archives, grading, visits and the house-selection desk.</source>
      <translation>客臺 {version}:客戶檔案、客戶分級、拜訪管理與選房票務。</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="71" />
      <source>New customer</source>
      <translation>新建客戶</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="44" />
      <source>Operator: {name}   Database: {kind}</source>
      <translation>操作員:{name}   資料庫:{kind}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="78" />
      <source>Print customer card (PDF)…</source>
      <translation>列印客戶檔案(PDF)…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="82" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="95" />
      <source>Read log…</source>
      <translation>借閱記錄…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="72" />
      <source>Save card</source>
      <translation>儲存客戶關係卡</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="96" />
      <source>Settings…</source>
      <translation>設定…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="94" />
      <source>Users and roles…</source>
      <translation>使用者與角色…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="36" />
      <source>Visit calendar</source>
      <translation>拜訪日曆</translation>
    </message>
  </context>
  <context>
    <name>MealDialog</name>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="119" />
      <source>Bill total (yuan)</source>
      <translation>賬單金額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="65" />
      <source>Customer kind</source>
      <translation>客戶類別</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="64" />
      <source>Customer unit</source>
      <translation>招待客戶單位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="71" />
      <source>Guests</source>
      <translation>客人人數</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="33" />
      <source>Hospitality meal request</source>
      <translation>招待用餐申請</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="66" />
      <source>Hosted by</source>
      <translation>出面接待</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="72" />
      <source>Hosts (ours)</source>
      <translation>陪同人數</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="67" />
      <source>Meal type</source>
      <translation>用餐方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="120" />
      <source>Of which drinks and fruit (yuan)</source>
      <translation>其中酒水飲料水果(元)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="74" />
      <source>Purpose</source>
      <translation>事由</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="115" />
      <source>Record the bill</source>
      <translation>登記賬單</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="73" />
      <source>Restaurant</source>
      <translation>餐廳名稱</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="70" />
      <source>Standard (yuan/person)</source>
      <translation>用餐標準(元/人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="88" />
      <source>Standard: {std}</source>
      <translation>規定標準:{std}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="69" />
      <source>Time</source>
      <translation>用餐時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="57" />
      <source>Urgent: approved verbally, paperwork follows</source>
      <translation>緊急情況:已口頭請示同意,事後補辦手續</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="76" />
      <source>Verbally approved by</source>
      <translation>口頭同意人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="61" />
      <source>Who agreed by word of mouth</source>
      <translation>口頭同意的領導姓名</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="117" />
      <source>drinks, beverages and fruit</source>
      <translation>酒水、飲料、水果</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="52" />
      <source>yuan per person per meal</source>
      <translation>每人每餐(元)</translation>
    </message>
  </context>
  <context>
    <name>MealsPanel</name>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="52" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="131" />
      <source>Approve excess</source>
      <translation>超標準審批</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="55" />
      <source>Approve excess…</source>
      <translation>超標準審批…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="34" />
      <source>Bill</source>
      <translation>賬單</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="105" />
      <source>Choose a meal in the list first.</source>
      <translation>請先在列表中選擇一次用餐。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Customer unit</source>
      <translation>招待客戶單位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="155" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Guests+hosts</source>
      <translation>客人+陪同</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="58" />
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="156" />
      <source>Month-end settlement</source>
      <translation>月底結算</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="51" />
      <source>New request…</source>
      <translation>用餐申請…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="114" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="54" />
      <source>Record bill…</source>
      <translation>登記賬單…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="84" />
      <source>Reimbursed</source>
      <translation>予以報銷</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="34" />
      <source>Reimbursement</source>
      <translation>報銷</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="114" />
      <source>Reject</source>
      <translation>不批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="53" />
      <source>Reject…</source>
      <translation>不批准…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Restaurant</source>
      <translation>餐廳</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="56" />
      <source>Settlement (Excel)…</source>
      <translation>結算表(Excel)…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="57" />
      <source>Settlement (PDF)…</source>
      <translation>結算表(PDF)…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Standard</source>
      <translation>標準(元/人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="34" />
      <source>Status</source>
      <translation>審批狀態</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Time</source>
      <translation>用餐時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Type</source>
      <translation>方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="132" />
      <source>Why the bill may exceed the standard (required)</source>
      <translation>超標準的原因與批准意見(必填)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="95" />
      <source>{n} meals this month, {k} not reimbursed</source>
      <translation>本月 {n} 次用餐,{k} 次不予報銷</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="162" />
      <source>{n} meals written to {path}</source>
      <translation>已匯出 {n} 次用餐到 {path}</translation>
    </message>
  </context>
  <context>
    <name>OverrideDialog</name>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="31" />
      <source>New grade</source>
      <translation>調整為</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="21" />
      <source>Override grade</source>
      <translation>調整客戶等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="32" />
      <source>Reason</source>
      <translation>調整原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="29" />
      <source>Why the computed grade does not fit (required)</source>
      <translation>說明計算結果為何不適用(必填)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="23" />
      <source>{name} ({code}): computed grade {grade}</source>
      <translation>{name}({code}):計算等級 {grade}</translation>
    </message>
  </context>
  <context>
    <name>PassedDialog</name>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="33" />
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="51" />
      <source>No. {order}  {name}  (called at {desk})</source>
      <translation>{order} 號  {name}(原叫至 {desk})</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="61" />
      <source>Nobody is on the passed list</source>
      <translation>過號名單為空</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="28" />
      <source>Passed list (called but absent)</source>
      <translation>過號名單(已叫號未到)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="33" />
      <source>Re-call to this desk (Enter)</source>
      <translation>重新叫到本臺(回車)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="41" />
      <source>Select a buyer who has come back and re-call them:</source>
      <translation>選擇已回到現場的購房者,重新叫號:</translation>
    </message>
  </context>
  <context>
    <name>PdfPreview</name>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="77" />
      <source> — the paper is {cut} mm too short for this document</source>
      <translation>——紙張比本單據短 {cut} mm</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="48" />
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="72" />
      <source>Not printed: {reason}</source>
      <translation>未列印:{reason}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="48" />
      <source>Print</source>
      <translation>列印</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="74" />
      <source>Printed {pages} pages to {printer}</source>
      <translation>已列印 {pages} 頁到 {printer}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="81" />
      <source>Save PDF</source>
      <translation>儲存 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="48" />
      <source>Save PDF…</source>
      <translation>儲存 PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="41" />
      <source>The system's default printer</source>
      <translation>系統預設印表機</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="74" />
      <source>the default printer</source>
      <translation>預設印表機</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="39" />
      <source>{n} pages</source>
      <translation>共 {n} 頁</translation>
    </message>
  </context>
  <context>
    <name>PendingDialog</name>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Change</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Changed at</source>
      <translation>修改時間</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="26" />
      <source>Changes waiting to be synced</source>
      <translation>待同步的修改</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Field</source>
      <translation>欄位</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="29" />
      <source>New value</source>
      <translation>新值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="60" />
      <source>Nothing waiting: every change made on this laptop has reached the central database.</source>
      <translation>沒有待同步的修改:本機的修改都已到達中心資料庫。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="29" />
      <source>Old value</source>
      <translation>原值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Record</source>
      <translation>記錄</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="35" />
      <source>Sync now</source>
      <translation>立即同步</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="59" />
      <source>{n} changes waiting for the next sync</source>
      <translation>{n} 項修改等待下次同步</translation>
    </message>
  </context>
  <context>
    <name>PrintSettings</name>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="66" />
      <source>A4 sheets</source>
      <translation>A4 單張紙</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="66" />
      <source>A5 sheets</source>
      <translation>A5 單張紙</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="64" />
      <source>Continuous form 241 mm × 1/2 of 11 in (241-2)</source>
      <translation>連續列印紙 241 mm × 11 英寸二等分(241-2)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="65" />
      <source>Continuous form 241 mm × 1/3 of 11 in (241-3)</source>
      <translation>連續列印紙 241 mm × 11 英寸三等分(241-3)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="87" />
      <source>Desk name</source>
      <translation>臺號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="93" />
      <source>Move down by</source>
      <translation>向下移動</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="92" />
      <source>Move right by</source>
      <translation>向右移動</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="119" />
      <source>Not printed: {reason}</source>
      <translation>未列印:{reason}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="90" />
      <source>Paper in the printer</source>
      <translation>印表機中的紙張</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="53" />
      <source>Plain paper: every copy printed in full</source>
      <translation>白紙列印:每一聯完整列印</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="54" />
      <source>Pre-printed multi-part forms (overlay): values only</source>
      <translation>套打(預印多聯單):只列印資料</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="80" />
      <source>Preview a test slip…</source>
      <translation>預覽測試單…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="78" />
      <source>Print a ruler slip</source>
      <translation>列印校準尺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="91" />
      <source>Print as</source>
      <translation>列印方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="82" />
      <source>Print the ruler slip, measure the red cross's centre from the paper's left and top edges (x, y), then move right by {cx} − x and down by {cy} − y more.</source>
      <translation>列印校準尺,量出紅色十字中心距紙左邊 x、距紙上邊 y,再在現有偏移上向右加 {cx} − x、向下加 {cy} − y。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="88" />
      <source>Printer</source>
      <translation>印表機</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="49" />
      <source>Printing at this desk</source>
      <translation>本臺列印設定</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="117" />
      <source>Ruler slip</source>
      <translation>校準尺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="121" />
      <source>Ruler slip sent to {printer}. Measure the red cross's centre from the paper's left and top edges (x, y): move right by {cx} − x and down by {cy} − y more.</source>
      <translation>校準尺已傳送到 {printer}。量出紅色十字中心距紙左邊 x、距紙上邊 y:在現有偏移上向右加 {cx} − x、向下加 {cy} − y。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="70" />
      <source>Show the print preview before printing</source>
      <translation>列印前先顯示列印預覽</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="135" />
      <source>Test slip</source>
      <translation>測試單</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="57" />
      <source>The system's default printer</source>
      <translation>系統預設印表機</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="123" />
      <source>the default printer</source>
      <translation>預設印表機</translation>
    </message>
  </context>
  <context>
    <name>QueuePanel</name>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="27" />
      <source>Just called</source>
      <translation>剛叫到</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="27" />
      <source>Next</source>
      <translation>下一批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="28" />
      <source>Passed list (absent)</source>
      <translation>過號名單(未到)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="22" />
      <source>Queue</source>
      <translation>叫號佇列</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="16" />
      <source>none</source>
      <translation>無</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="45" />
      <source>{n} still waiting to be called</source>
      <translation>還有 {n} 人等待叫號</translation>
    </message>
  </context>
  <context>
    <name>ReadLogDialog</name>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="67" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="44" />
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="65" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="46" />
      <source>Edit</source>
      <translation>修改</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="115" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="46" />
      <source>Export</source>
      <translation>匯出</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="114" />
      <source>Export read log</source>
      <translation>匯出借閱記錄</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="50" />
      <source>Export to Excel…</source>
      <translation>匯出到 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="128" />
      <source>Exported {n} entries to {path}</source>
      <translation>已匯出 {n} 條記錄到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="62" />
      <source>From</source>
      <translation>起始日期</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>Level</source>
      <translation>保密級別</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="56" />
      <source>Note</source>
      <translation>說明</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="45" />
      <source>Open</source>
      <translation>查閱</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="43" />
      <source>Part of the customer name</source>
      <translation>客戶名稱的一部分</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="44" />
      <source>Permitted</source>
      <translation>允許</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="45" />
      <source>Print</source>
      <translation>列印</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="35" />
      <source>Read log</source>
      <translation>借閱記錄</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="44" />
      <source>Refused</source>
      <translation>拒絕</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="66" />
      <source>Result</source>
      <translation>結果</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="47" />
      <source>Search</source>
      <translation>查詢</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>Time</source>
      <translation>時間</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="63" />
      <source>To</source>
      <translation>截止日期</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="88" />
      <source>Type a date like 2026-11-25</source>
      <translation>請按 2026-11-25 的格式填寫日期</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="64" />
      <source>User</source>
      <translation>使用者</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>User name</source>
      <translation>使用者名稱</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="41" />
      <source>User name or name</source>
      <translation>使用者名稱或姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="106" />
      <source>{n} entries</source>
      <translation>共 {n} 條</translation>
    </message>
  </context>
  <context>
    <name>RelationshipPanel</name>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>Action</source>
      <translation>處理</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="149" />
      <source>Approval</source>
      <translation>審批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="76" />
      <source>Approval number</source>
      <translation>審批文號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="206" />
      <source>Approval recorded; the flat is sold at the approved price and ratio.</source>
      <translation>審批已登記:該房源按審批均價和交款比例銷售。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="78" />
      <source>Approved average price</source>
      <translation>審批均價(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="76" />
      <source>Approved by</source>
      <translation>審批方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Approved price</source>
      <translation>審批均價</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="217" />
      <source>Approver</source>
      <translation>審批人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>Beneficiary</source>
      <translation>受益人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="75" />
      <source>Buyer (beneficiary)</source>
      <translation>購房人(關係戶)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="84" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="234" />
      <source>Choose a late payer in the list first.</source>
      <translation>請先在清單中選擇一位逾期付款的關係戶。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="212" />
      <source>Choose a phone approval in the list first.</source>
      <translation>請先在清單中選擇一項電話審批。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="250" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="250" />
      <source>Export</source>
      <translation>匯出</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="162" />
      <source>Export to Excel…</source>
      <translation>匯出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="261" />
      <source>Exported {n} rows to {path}</source>
      <translation>已匯出 {n} 行到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>First payment due</source>
      <translation>應交首付(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="75" />
      <source>Flat</source>
      <translation>房號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>GM who phoned</source>
      <translation>來電審批人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="101" />
      <source>General manager who phoned</source>
      <translation>來電審批的總經理</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="62" />
      <source>General manager's phone approval</source>
      <translation>總經理電話審批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>Handler</source>
      <translation>經辦人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="77" />
      <source>Handler who took the call</source>
      <translation>接電話的經辦人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="171" />
      <source>Late payers: new price policy</source>
      <translation>逾期付款:轉新價格政策</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="160" />
      <source>Move to the new price policy</source>
      <translation>轉新價格政策</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="245" />
      <source>New ticket {number}.</source>
      <translation>新票 {number}。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="80" />
      <source>Note</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>Paid</source>
      <translation>已交(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="61" />
      <source>Paper approval</source>
      <translation>書面審批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="214" />
      <source>Paper approval number</source>
      <translation>書面審批文號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Paperwork due</source>
      <translation>補辦期限</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="228" />
      <source>Paperwork of {flat} recorded.</source>
      <translation>{flat} 的書面手續已補辦。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="214" />
      <source>Paperwork received</source>
      <translation>補辦書面手續</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="158" />
      <source>Paperwork received…</source>
      <translation>補辦書面手續…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="167" />
      <source>Paperwork to complete</source>
      <translation>待補辦書面手續</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="172" />
      <source>Past the approved deadline without the approved first payment: the approval lapses and the flat is sold at the normal price list.</source>
      <translation>超過審批交款期限仍未按審批比例交款:審批失效,該房源按正常價目表銷售。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="79" />
      <source>Pay by</source>
      <translation>交款期限</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="79" />
      <source>Payment ratio</source>
      <translation>交款比例</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="168" />
      <source>Phone approvals: the paper approval is due within the working days set in the rules; a handler whose paperwork is overdue gets no further flats.</source>
      <translation>電話審批須在業務規則規定的工作日內補齊書面審批;逾期未補辦的經辦人不再發放房源。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>Phoned at</source>
      <translation>來電時間</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Ratio</source>
      <translation>交款比例</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="84" />
      <source>Record</source>
      <translation>登記</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="55" />
      <source>Record a relationship-flat approval</source>
      <translation>登記關係房審批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="156" />
      <source>Record approval…</source>
      <translation>登記關係房審批…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>Ticket</source>
      <translation>選房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="58" />
      <source>list price {price}</source>
      <translation>價目表 {price}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="152" />
      <source>no ticket</source>
      <translation>未開票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="73" />
      <source>per cent, e.g. 70</source>
      <translation>百分比,例如 70</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="72" />
      <source>yuan per m², e.g. 5800</source>
      <translation>元/m²,例如 5800</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="244" />
      <source>{flat} is back on the normal price list.</source>
      <translation>{flat} 已轉回正常價目表。</translation>
    </message>
  </context>
  <context>
    <name>RenameDialog</name>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="31" />
      <source>Market price of the flat (yuan)</source>
      <translation>同類房源市場價總額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="29" />
      <source>New buyer's ID number</source>
      <translation>新購房人身份證號</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="30" />
      <source>New buyer's name</source>
      <translation>新購房人姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="27" />
      <source>Only for a person outside the list</source>
      <translation>僅名單外人員受讓時填寫</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="32" />
      <source>Reason</source>
      <translation>更名原因</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="23" />
      <source>Rename ticket</source>
      <translation>更名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="38" />
      <source>Show the fee</source>
      <translation>計算更名費</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="54" />
      <source>Type the amount in yuan, e.g. 650000</source>
      <translation>請填寫金額(元),例如 650000</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="75" />
      <source>between names on the list, free</source>
      <translation>名單內更名,免收更名費</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="75" />
      <source>outside the list</source>
      <translation>名單外受讓</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="76" />
      <source>{old} → {new} ({kind}). Rename fee {fee} yuan, received {got}; paid money moving with the flat {moving} yuan.</source>
      <translation>{old} → {new}({kind})。更名費 {fee} 元,已收 {got} 元;隨房結轉的已付房款 {moving} 元。</translation>
    </message>
  </context>
  <context>
    <name>ReviewPanel</name>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="26" />
      <source>No ticket reviewed yet</source>
      <translation>尚未複核任何選房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="21" />
      <source>Review station: {name}</source>
      <translation>複核區:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="45" />
      <source>Reviewed {number}: {buyer}, {flat}, {total} yuan ({ratio} now: {now}); issued by {issuer}</source>
      <translation>已複核 {number}:{buyer},{flat},總價 {total} 元(本次 {ratio}:{now} 元);開票人 {issuer}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="24" />
      <source>Scan the ticket's QR code or type its number, then Enter</source>
      <translation>掃描選房工作票二維碼或輸入票號,回車</translation>
    </message>
  </context>
  <context>
    <name>ReviewerDialog</name>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="28" />
      <source>A second person reviews: {what}</source>
      <translation>由另一人複核:{what}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="26" />
      <source>Password</source>
      <translation>密碼</translation>
    </message>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="20" />
      <source>Reviewer sign-off</source>
      <translation>複核人籤核</translation>
    </message>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="25" />
      <source>Reviewer user name</source>
      <translation>複核人使用者名稱</translation>
    </message>
  </context>
  <context>
    <name>RolesTab</name>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="50" />
      <source>Chinese name</source>
      <translation>中文名稱</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="49" />
      <source>Code</source>
      <translation>程式碼</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="43" />
      <source>Create role</source>
      <translation>新建角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="45" />
      <source>Delete role</source>
      <translation>刪除角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="55" />
      <source>New role</source>
      <translation>新角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="59" />
      <source>Permission</source>
      <translation>許可權</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="123" />
      <source>Permissions of {role} saved.</source>
      <translation>已儲存“{role}”的許可權。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="36" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="141" />
      <source>Role created: tick its permissions and save.</source>
      <translation>角色已建立:請勾選其許可權並儲存。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="153" />
      <source>Role {role} deleted.</source>
      <translation>已刪除角色“{role}”。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="71" />
      <source>Save permissions</source>
      <translation>儲存許可權</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="36" />
      <source>Users</source>
      <translation>使用者數</translation>
    </message>
  </context>
  <context>
    <name>RouteMap</name>
    <message>
      <location filename="../../ui/visits/routes_map.py" line="123" />
      <source>Office</source>
      <translation>公司</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_map.py" line="126" />
      <source>Office (off the map)</source>
      <translation>公司(在圖外)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_map.py" line="125" />
      <source>Office, {km:.0f} km away</source>
      <translation>公司,約 {km:.0f} 公里外</translation>
    </message>
  </context>
  <context>
    <name>RoutesDialogs</name>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="214" />
      <source>(no address)</source>
      <translation>(沒有地址)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="49" />
      <source>(no owner)</source>
      <translation>(未指定負責人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="214" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="82" />
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="205" />
      <source>Coordinates of {name}</source>
      <translation>{name} 的座標</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="46" />
      <source>Delete area</source>
      <translation>刪除區域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="187" />
      <source>Delete the visit area “{name}”? Its customers stay as they are.</source>
      <translation>刪除拜訪區域“{name}”?區域內的客戶資料不受影響。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="63" />
      <source>Districts</source>
      <translation>區縣</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="216" />
      <source>Latitude</source>
      <translation>緯度</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="217" />
      <source>Longitude</source>
      <translation>經度</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="60" />
      <source>Name</source>
      <translation>區域名稱</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="46" />
      <source>New area</source>
      <translation>新建區域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="62" />
      <source>Note</source>
      <translation>備註</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="215" />
      <source>Now</source>
      <translation>當前座標</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="61" />
      <source>Owner rep</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="56" />
      <source>Save area</source>
      <translation>儲存區域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="64" />
      <source>Tick a city to take all its districts. A district can belong to one area only.</source>
      <translation>勾選城市即包含該市全部區縣。每個區縣只能屬於一個拜訪區域。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="42" />
      <source>Visit areas</source>
      <translation>拜訪區域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="215" />
      <source>no coordinates</source>
      <translation>沒有座標</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="96" />
      <source>{city} (whole city)</source>
      <translation>{city}(全市)</translation>
    </message>
  </context>
  <context>
    <name>RoutesPanel</name>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="316" />
      <source> (best order found, not proven shortest)</source>
      <translation>(為找到的最佳順序,未必最短)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="314" />
      <source> (reordered to keep out of the customers' unsuitable times)</source>
      <translation>(已按客戶不宜拜訪時間調整順序)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="162" />
      <source> — {owner}</source>
      <translation> — {owner}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="166" />
      <source>(choose a rep)</source>
      <translation>(選擇營銷人員)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="160" />
      <source>(choose an area)</source>
      <translation>(選擇拜訪區域)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="235" />
      <source>(no address)</source>
      <translation>(沒有地址)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="311" />
      <source>; {saved:.1f} km shorter than the order ticked</source>
      <translation>;比勾選順序少走 {saved:.1f} 公里</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="92" />
      <source>Address classification table…</source>
      <translation>客戶地址分類表…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="57" />
      <source>Area</source>
      <translation>區域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="183" />
      <source>Area: {name}</source>
      <translation>拜訪區域:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="61" />
      <source>Areas…</source>
      <translation>劃分割槽域…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="307" />
      <source>Back to the office  (+{km:.1f} km)</source>
      <translation>返回公司  (+{km:.1f} 公里)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="374" />
      <source>Choose an area or a rep first.</source>
      <translation>請先選擇拜訪區域或營銷人員。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="205" />
      <source>Choose the rep whose plans to route.</source>
      <translation>請先選擇要排路線的人員。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="335" />
      <source>Coordinates</source>
      <translation>客戶座標</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="82" />
      <source>Customers (tick the day's visits; double-click to enter coordinates)</source>
      <translation>客戶(勾選當天要拜訪的客戶;雙擊錄入座標)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="57" />
      <source>Day</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="97" />
      <source>Excel</source>
      <translation>Excel</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="365" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="60" />
      <source>Fill coordinates from addresses</source>
      <translation>按地址補全座標</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="246" />
      <source>Left out of routes: {why}</source>
      <translation>不安排拜訪:{why}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="321" />
      <source>Left out: {names}</source>
      <translation>未排入路線:{names}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="237" />
      <source>Not to be visited: {times}</source>
      <translation>不宜拜訪時間:{times}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="69" />
      <source>Order route</source>
      <translation>排定路線</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="96" />
      <source>PDF</source>
      <translation>PDF</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="93" />
      <source>Region analysis table…</source>
      <translation>客戶區域分析表…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="185" />
      <source>Rep: {name}</source>
      <translation>營銷人員:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="94" />
      <source>Sales analysis table…</source>
      <translation>客戶銷售分析表…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="72" />
      <source>The rep's plans that day</source>
      <translation>該人員當天的拜訪計劃</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="68" />
      <source>Tick all</source>
      <translation>全選</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="279" />
      <source>Tick at least one customer to visit.</source>
      <translation>請至少勾選一家要拜訪的客戶。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="88" />
      <source>Tick customers and press “Order route”.</source>
      <translation>勾選客戶後點選“排定路線”。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="68" />
      <source>Tick none</source>
      <translation>全不選</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="298" />
      <source>[arrives in an unsuitable time: {times}]</source>
      <translation>[到達時間不宜拜訪:{times}]</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="296" />
      <source>[not on this day: {times}]</source>
      <translation>[當天不宜:{times}]</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="300" />
      <source>[not: {times}]</source>
      <translation>[不宜:{times}]</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="57" />
      <source>or rep</source>
      <translation>或營銷人員</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="335" />
      <source>{filled} customers got coordinates from their address; {unmatched} addresses name no known district (enter those by hand); {kept} already had coordinates.</source>
      <translation>已按地址為 {filled} 家客戶補全座標;{unmatched} 個地址未能識別區縣(請手工錄入);{kept} 家客戶原已有座標。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="270" />
      <source>{n} customers, {ticked} ticked, {invalid} cannot be visited</source>
      <translation>共 {n} 家客戶,已勾選 {ticked} 家,{invalid} 家不安排拜訪</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="318" />
      <source>{n} of them should not be visited on {day} (see their unsuitable times).</source>
      <translation>其中 {n} 家客戶 {day} 不宜拜訪(見其不宜拜訪時間)。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="308" />
      <source>{n} stops, about {km:.1f} km, {time}</source>
      <translation>{n} 家客戶,約 {km:.1f} 公里,{time}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="291" />
      <source>{n}. {name}  (+{km:.1f} km)</source>
      <translation>{n}. {name}  (+{km:.1f} 公里)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="222" />
      <source>{rep} has no planned visits on {day}.</source>
      <translation>{rep} 在 {day} 沒有待拜訪的計劃。</translation>
    </message>
  </context>
  <context>
    <name>RulesDialog</name>
    <message>
      <location filename="../../ui/rules_dialog.py" line="55" />
      <source>Business rules</source>
      <translation>業務規則</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="34" />
      <source>Customer archive</source>
      <translation>客戶檔案</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="74" />
      <source>Default: {value}</source>
      <translation>預設值:{value}</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="61" />
      <source>Defaults follow the regulations; changes apply to every desk.</source>
      <translation>預設值依照公司制度;修改後對所有工作臺生效。</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="35" />
      <source>Grading</source>
      <translation>客戶分級</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="39" />
      <source>House selection</source>
      <translation>選房</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="64" />
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="38" />
      <source>Reception</source>
      <translation>接待與投訴</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="40" />
      <source>Security and backups</source>
      <translation>安全與備份</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="37" />
      <source>Visits and routes</source>
      <translation>拜訪與路線</translation>
    </message>
  </context>
  <context>
    <name>SalesControlModel</name>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="85" />
      <source> unit {e}</source>
      <translation>{e}單元</translation>
    </message>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="83" />
      <source>Flat {n}</source>
      <translation>{n} 戶</translation>
    </message>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="86" />
      <source>{building}{unit} floor {floor}</source>
      <translation>{building}{unit} {floor} 層</translation>
    </message>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="70" />
      <source>{flat} · {type} · total {total} · {status} {ticket}</source>
      <translation>{flat} · {type} · 總價 {total} · {status} {ticket}</translation>
    </message>
  </context>
  <context>
    <name>SalesDialogs</name>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="121" />
      <source>Add payment record</source>
      <translation>錄入回款記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="103" />
      <source>Add sales record</source>
      <translation>錄入銷售記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="126" />
      <source>Amount (yuan)</source>
      <translation>金額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="125" />
      <source>Contract / invoice no.</source>
      <translation>合同/發票號</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="58" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="127" />
      <source>Due on</source>
      <translation>應付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="113" />
      <source>Gross profit (yuan)</source>
      <translation>毛利(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="142" />
      <source>Import payments — {name}</source>
      <translation>匯入回款記錄 — {name}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="142" />
      <source>Import sales — {name}</source>
      <translation>匯入銷售記錄 — {name}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="166" />
      <source>Imported {ok} payment records; {bad} rows with errors were not imported.</source>
      <translation>已匯入 {ok} 條回款記錄;{bad} 行有錯誤,未匯入。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="165" />
      <source>Imported {ok} sales records; {bad} rows with errors were not imported.</source>
      <translation>已匯入 {ok} 條銷售記錄;{bad} 行有錯誤,未匯入。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="108" />
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="109" />
      <source>Month {m}</source>
      <translation>{m}月</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="162" />
      <source>Nothing imported: {bad} rows have errors. Correct them (see the error report) and import the file again.</source>
      <translation>未匯入任何資料:{bad} 行有錯誤。請按錯誤報告改正後重新匯入該檔案。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="114" />
      <source>Orders</source>
      <translation>訂單數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="128" />
      <source>Paid on</source>
      <translation>實付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="110" />
      <source>Product</source>
      <translation>產品</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="35" />
      <source>Records are never edited or deleted. To correct a figure, enter a new record with the difference — a negative amount cancels what was entered too much.</source>
      <translation>記錄一經錄入不能修改或刪除。數字有誤時,請錄入一條差額記錄——多錄的金額用負數衝減。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="111" />
      <source>Sales (yuan)</source>
      <translation>銷售額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="108" />
      <source>Whole year</source>
      <translation>全年</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="107" />
      <source>Year</source>
      <translation>年度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="112" />
      <source>e.g. 12,500.00 or 50万; negative to correct</source>
      <translation>例如 12,500.00 或 50萬;衝減填負數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="129" />
      <source>empty: not paid yet</source>
      <translation>不填:尚未付款</translation>
    </message>
  </context>
  <context>
    <name>SalesPanel</name>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="88" />
      <source>Add payment…</source>
      <translation>錄入回款…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="87" />
      <source>Add sales record…</source>
      <translation>錄入銷售…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Amount</source>
      <translation>金額</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="183" />
      <source>Choose a customer.</source>
      <translation>請選擇客戶。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="289" />
      <source>Choose an unpaid payment in the list first.</source>
      <translation>請先在列表中選擇一筆未付款項。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="92" />
      <source>Credit limit…</source>
      <translation>信用額度…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="113" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="296" />
      <source>Dates are written like 2026-11-25</source>
      <translation>日期請寫成 2026-11-25 這樣</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="255" />
      <source>Delivery within {d} days</source>
      <translation>{d} 天內交貨</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Due on</source>
      <translation>應付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="254" />
      <source>Grade {g}</source>
      <translation>等級 {g}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Gross profit</source>
      <translation>毛利</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="89" />
      <source>Import from Excel</source>
      <translation>Excel匯入</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="354" />
      <source>Import payments</source>
      <translation>匯入回款記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="354" />
      <source>Import sales</source>
      <translation>匯入銷售記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="364" />
      <source>Import template</source>
      <translation>匯入模板</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="251" />
      <source>Late payments in one quarter (this or the last): {n}</source>
      <translation>單季度逾期付款(本季度或上季度):{n} 次</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="209" />
      <source>Month {m}</source>
      <translation>{m}月</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="256" />
      <source>No rush orders</source>
      <translation>不可插單</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="232" />
      <source>Not yet due</source>
      <translation>未到期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="123" />
      <source>Orders</source>
      <translation>訂單數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="234" />
      <source>Paid late</source>
      <translation>逾期付款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Paid on</source>
      <translation>實付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="282" />
      <source>Paid on (e.g. 2026-11-25)</source>
      <translation>實付日期(例如 2026-11-25)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="234" />
      <source>Paid on time</source>
      <translation>按期付款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="105" />
      <source>Payment records</source>
      <translation>回款記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="255" />
      <source>Payment: {t}</source>
      <translation>付款:{t}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="129" />
      <source>Payments due in the year</source>
      <translation>本年度應收回款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="141" />
      <source>Policy that follows the grade</source>
      <translation>分級政策</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="254" />
      <source>Price: {p}</source>
      <translation>價格:{p}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Product</source>
      <translation>產品</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="282" />
      <source>Record as paid</source>
      <translation>登記收款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="96" />
      <source>Record as paid…</source>
      <translation>登記收款…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="123" />
      <source>Records</source>
      <translation>記錄數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Reference</source>
      <translation>合同/發票號</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="257" />
      <source>Reply within {h} hours</source>
      <translation>{h} 小時內答覆</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="256" />
      <source>Rush orders allowed</source>
      <translation>可插單</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Sales (yuan)</source>
      <translation>銷售額(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="129" />
      <source>Sales by month and product</source>
      <translation>按月份和產品的銷售</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="105" />
      <source>Sales records</source>
      <translation>銷售記錄</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="91" />
      <source>Scoring items…</source>
      <translation>評分項…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="90" />
      <source>Template</source>
      <translation>下載模板</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="372" />
      <source>Template saved: {file}</source>
      <translation>模板已儲存:{file}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="218" />
      <source>Total</source>
      <translation>合計</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="232" />
      <source>Unpaid, overdue</source>
      <translation>逾期未付</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="209" />
      <source>Whole year</source>
      <translation>全年</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="115" />
      <source>Year</source>
      <translation>年度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="246" />
      <source>not graded (treated as C)</source>
      <translation>未分級(按C級)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="241" />
      <source>{n} payments due in {year}, {late} late.</source>
      <translation>{year} 年應收回款 {n} 筆,逾期 {late} 筆。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="219" />
      <source>{n} products</source>
      <translation>{n} 種產品</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="249" />
      <source>{terms} (dropped one level: {n} late payments in {q})</source>
      <translation>{terms}(已降一級:{q} 逾期付款 {n} 次)</translation>
    </message>
  </context>
  <context>
    <name>SchemesDialog</name>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="84" />
      <source>Choose a scheme in the list first.</source>
      <translation>請先在列表中選擇一個方案。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Customer grade</source>
      <translation>客戶等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="36" />
      <source>Grading schemes</source>
      <translation>分級方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Kind</source>
      <translation>型別</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="44" />
      <source>Make it the customer grade</source>
      <translation>設為客戶等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="49" />
      <source>Name of a new scheme</source>
      <translation>新方案名稱</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="51" />
      <source>New scheme</source>
      <translation>新建方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Parameters</source>
      <translation>引數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Scheme</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="45" />
      <source>Take the current business rules</source>
      <translation>按當前業務規則更新引數</translation>
    </message>
  </context>
  <context>
    <name>SelectionTab</name>
    <message>
      <location filename="../../ui/selection/tab.py" line="318" />
      <source> (reprint {n})</source>
      <translation>(重打 {n})</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="335" />
      <source> — the paper is {cut} mm too short for this document: check the paper in the print settings</source>
      <translation>——紙張比本單據短 {cut} mm:請在列印設定中核對紙張</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="71" />
      <source>Absent (F6)</source>
      <translation>過號(F6)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="182" />
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="78" />
      <source>Big screen</source>
      <translation>叫號大屏</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="186" />
      <source>Building</source>
      <translation>樓棟</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="368" />
      <source>Call a buyer first; the one called last at this desk is marked absent.</source>
      <translation>請先叫號;過號針對本臺最後叫到的購房者。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="63" />
      <source>Call next (F5)</source>
      <translation>叫下一號(F5)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="362" />
      <source>Calling number {order}: {name}</source>
      <translation>正在叫號:{order} 號 {name}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="350" />
      <source>Calling numbers {first}–{last}: {names}</source>
      <translation>正在叫號 {first}–{last} 號:{names}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="342" />
      <source>Desk 1</source>
      <translation>1號臺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="91" />
      <source>Event</source>
      <translation>選房活動</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="85" />
      <source>Event set-up…</source>
      <translation>活動設定…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="363" />
      <source>Everyone has been called.</source>
      <translation>已全部叫完。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="69" />
      <source>Group of </source>
      <translation>每組 </translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="82" />
      <source>Ledgers…</source>
      <translation>臺帳與報表…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="125" />
      <source>No house-selection event yet: set one up (project, flats, commissioning unit, prices, buyers) or start with --demo.</source>
      <translation>還沒有選房活動:請先設定(專案、房源、委建房單位、價格、購房者名單),或用 --demo 啟動演示。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="328" />
      <source>Not printed {title} on {printer}: {reason}. The document is saved; print it again from the buyer's documents.</source>
      <translation>{title} 未能在 {printer} 列印:{reason}。單據已儲存,請在購房人單據中重打。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="376" />
      <source>Number {order} ({name}) is on the passed list</source>
      <translation>{order} 號({name})已列入過號名單</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="74" />
      <source>Passed list…</source>
      <translation>過號名單…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="332" />
      <source>Printed {title}: {pages} pages to {printer}</source>
      <translation>已列印 {title}:共 {pages} 頁,印表機 {printer}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="80" />
      <source>Printing…</source>
      <translation>列印設定…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="390" />
      <source>Re-calling number {order}: {name}</source>
      <translation>重新叫號 {order} 號:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="93" />
      <source>This desk</source>
      <translation>本臺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="188" />
      <source>Unit type</source>
      <translation>戶型</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="323" />
      <source>the default printer</source>
      <translation>預設印表機</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="215" />
      <source>{flats} flats: sold {sold} ({sold_amount} yuan, {area} m²), left {left} ({left_amount} yuan)</source>
      <translation>共 {flats} 套:已售 {sold} 套(金額 {sold_amount} 元,面積 {area} m²),可選 {left} 套(金額 {left_amount} 元)</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../ui/settings_dialog.py" line="34" />
      <source>Changes take effect when KeDesk is started again.</source>
      <translation>更改將在重新啟動客臺後生效。</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="29" />
      <source>Database</source>
      <translation>資料庫</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="30" />
      <source>Empty: the embedded SQLite file. Shared desks: postgresql://user:password@server/kedesk</source>
      <translation>留空:使用本機內建的 SQLite 資料庫檔案。多臺共用:postgresql://使用者名稱:密碼@伺服器/kedesk</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="32" />
      <source>Language</source>
      <translation>介面語言</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="33" />
      <source>Operator name</source>
      <translation>操作員姓名</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="19" />
      <source>Settings</source>
      <translation>設定</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="41" />
      <source>Use sqlite:///path/file.sqlite3 or postgresql://user@server/database</source>
      <translation>請填寫 sqlite:///路徑/檔案.sqlite3 或 postgresql://使用者名稱@伺服器/資料庫名</translation>
    </message>
  </context>
  <context>
    <name>SyncStatus</name>
    <message>
      <location filename="../../ui/sync/status.py" line="97" />
      <source>Changes waiting to be synced…</source>
      <translation>待同步的修改…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="104" />
      <source>Check out to this computer (offline field work)…</source>
      <translation>檢出到本機(離線外出)…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="24" />
      <source>Click to see the changes waiting to be synced</source>
      <translation>點選檢視待同步的修改</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="38" />
      <source>Offline replica · {n} changes waiting · last sync {last}</source>
      <translation>離線副本 · 待同步 {n} 項 · 上次同步 {last}</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="57" />
      <source>Sent {sent} changes ({conflicts} with conflicts), took {pulled} central changes.</source>
      <translation>已上傳 {sent} 項修改(其中 {conflicts} 項有衝突),取回中心變化 {pulled} 項。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="57" />
      <source>Sync</source>
      <translation>同步</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="115" />
      <source>Sync conflicts…</source>
      <translation>同步衝突…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="93" />
      <source>Sync with the central database</source>
      <translation>與中心資料庫同步</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="65" />
      <source>The central database cannot be reached; your changes stay on this laptop. ({error})</source>
      <translation>無法連線中心資料庫,您的修改仍保留在本機,稍後再同步。({error})</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="37" />
      <source>never</source>
      <translation>從未同步</translation>
    </message>
  </context>
  <context>
    <name>TermDropsPanel</name>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="35" />
      <source>Check late payments now</source>
      <translation>立即檢查逾期付款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Code</source>
      <translation>客戶程式碼</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Customer</source>
      <translation>客戶名稱</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Grade</source>
      <translation>等級</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Late payments</source>
      <translation>逾期次數</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="49" />
      <source>No customer's payment terms have been dropped: nobody has {n} or more late payments due in one quarter. After entering or importing payments, “Check late payments now” looks again.</source>
      <translation>目前沒有客戶被降低付款條件:沒有客戶在一個季度內有 {n} 筆或以上逾期付款。錄入或匯入回款記錄後,可點“立即檢查逾期付款”重新檢查。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="28" />
      <source>Noticed at</source>
      <translation>發現時間</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Noticed by</source>
      <translation>發現人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Quarter</source>
      <translation>季度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="90" />
      <source>{n} new payment-term drops.</source>
      <translation>新發現 {n} 個付款條件降級。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="43" />
      <source>{n} or more late payments in one quarter drop the customer's payment terms one level at once (shown on the customer card).</source>
      <translation>一個季度內逾期付款 {n} 次及以上,客戶的付款條件立即降一級(客戶卡片上顯示)。</translation>
    </message>
  </context>
  <context>
    <name>TourDialog</name>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="57" />
      <source>Accompanied by</source>
      <translation>陪同人員</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="56" />
      <source>Content, scope and route</source>
      <translation>參觀內容、範圍與線路</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="26" />
      <source>Customer tour application</source>
      <translation>客戶參觀申請書</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="67" />
      <source>GM approval</source>
      <translation>營銷中心總經理核准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="67" />
      <source>GM review, then chairman approval</source>
      <translation>營銷中心總經理稽核,報董事長批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="53" />
      <source>Headcount</source>
      <translation>參觀人數</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="42" />
      <source>One name per line: a badge is printed for each</source>
      <translation>每行一個姓名:每人列印一張胸卡</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="55" />
      <source>Purpose</source>
      <translation>參觀目的</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="47" />
      <source>The customer asks to take photos (needs special approval)</source>
      <translation>客戶要求拍照(須經特許)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="49" />
      <source>Tour type</source>
      <translation>參觀型別</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="52" />
      <source>Visit time</source>
      <translation>參觀時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="51" />
      <source>Visiting unit</source>
      <translation>參觀單位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="54" />
      <source>Visitors</source>
      <translation>參觀人員</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="69" />
      <source>{n} days ahead</source>
      <translation>須提前 {n} 天申請</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="70" />
      <source>{n} minutes ahead by phone</source>
      <translation>須提前 {n} 分鐘電話通知</translation>
    </message>
  </context>
  <context>
    <name>ToursPanel</name>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Applied by</source>
      <translation>申請人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="44" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="82" />
      <source>Choose a tour in the list first.</source>
      <translation>請先在列表中選擇一條參觀申請。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="43" />
      <source>New application…</source>
      <translation>參觀申請…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>People</source>
      <translation>人數</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="30" />
      <source>Permit no.</source>
      <translation>許可編號</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="30" />
      <source>Photos</source>
      <translation>拍照</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="47" />
      <source>Print badges…</source>
      <translation>列印胸卡…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="46" />
      <source>Print permit…</source>
      <translation>列印許可證…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="91" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="91" />
      <source>Reject</source>
      <translation>不批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="45" />
      <source>Reject…</source>
      <translation>不批准…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="111" />
      <source>Save PDF</source>
      <translation>儲存 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="121" />
      <source>Saved to {path}</source>
      <translation>已儲存到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="95" />
      <source>The customer asks to take photos. Allow it?</source>
      <translation>客戶要求拍照,是否特許?</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Type</source>
      <translation>型別</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Visit time</source>
      <translation>參觀時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Visiting unit</source>
      <translation>參觀單位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="69" />
      <source>allowed</source>
      <translation>經特許可拍照</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="69" />
      <source>not allowed</source>
      <translation>禁止拍照</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="31" />
      <source>waiting for the GM</source>
      <translation>待總經理稽核</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="31" />
      <source>waiting for the chairman</source>
      <translation>待董事長批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="72" />
      <source>{n} tours, {k} waiting for approval</source>
      <translation>共 {n} 條參觀申請,{k} 條待審批</translation>
    </message>
  </context>
  <context>
    <name>UserForm</name>
    <message>
      <location filename="../../ui/admin/user_form.py" line="37" />
      <source>(none)</source>
      <translation>(無)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="40" />
      <source>(not a staff member)</source>
      <translation>(不關聯員工)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="52" />
      <source>Department</source>
      <translation>部門</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="31" />
      <source>Edit user</source>
      <translation>修改使用者</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="49" />
      <source>Full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="54" />
      <source>Initial password</source>
      <translation>初始密碼</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="51" />
      <source>Linked staff member</source>
      <translation>關聯員工</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="102" />
      <source>New password</source>
      <translation>新密碼</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="31" />
      <source>New user</source>
      <translation>新建使用者</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="97" />
      <source>Reset password of {name}</source>
      <translation>重置 {name} 的密碼</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="50" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="99" />
      <source>The user must choose a new password at the next login</source>
      <translation>使用者下次登入時須修改密碼</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="48" />
      <source>User name</source>
      <translation>使用者名稱</translation>
    </message>
  </context>
  <context>
    <name>UsersDialog</name>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Active</source>
      <translation>在用</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="133" />
      <source>After</source>
      <translation>修改後</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="133" />
      <source>Before</source>
      <translation>修改前</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="153" />
      <source>Change log</source>
      <translation>修改記錄</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="49" />
      <source>Deactivate / reactivate</source>
      <translation>停用 / 啟用</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Department</source>
      <translation>部門</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="48" />
      <source>Edit…</source>
      <translation>修改…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Field</source>
      <translation>欄位</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="36" />
      <source>Last login</source>
      <translation>最近登入</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="36" />
      <source>Locked until</source>
      <translation>鎖定至</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="48" />
      <source>New user…</source>
      <translation>新建使用者…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="33" />
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="125" />
      <source>Password reset.</source>
      <translation>密碼已重置。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="51" />
      <source>Reset password…</source>
      <translation>重置密碼…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="152" />
      <source>Roles</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="74" />
      <source>Select a user first.</source>
      <translation>請先選擇一個使用者。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Staff member</source>
      <translation>關聯員工</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Time</source>
      <translation>時間</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="50" />
      <source>Unlock</source>
      <translation>解鎖</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="109" />
      <source>User changed.</source>
      <translation>使用者已修改。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="104" />
      <source>User created.</source>
      <translation>使用者已建立。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="115" />
      <source>User deactivated.</source>
      <translation>使用者已停用。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>User name</source>
      <translation>使用者名稱</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="115" />
      <source>User reactivated.</source>
      <translation>使用者已啟用。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="120" />
      <source>User unlocked.</source>
      <translation>使用者已解鎖。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="151" />
      <source>Users</source>
      <translation>使用者</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="145" />
      <source>Users and roles</source>
      <translation>使用者與角色管理</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>What</source>
      <translation>物件型別</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Whom</source>
      <translation>物件</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="33" />
      <source>Yes</source>
      <translation>是</translation>
    </message>
  </context>
  <context>
    <name>VisitDialogs</name>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="77" />
      <source>(choose)</source>
      <translation>(請選擇)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="206" />
      <source>(not a key person)</source>
      <translation>(非關鍵人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="248" />
      <source>Add a promise row</source>
      <translation>增加一行承諾事項</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="228" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="230" />
      <source>Competitors</source>
      <translation>競爭對手資訊</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="91" />
      <source>Contact way</source>
      <translation>聯絡方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="231" />
      <source>Credit changes</source>
      <translation>信用變化</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="87" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="229" />
      <source>Customer needs</source>
      <translation>客戶需求</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="243" />
      <source>Due date</source>
      <translation>完成日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="69" />
      <source>Edit visit plan</source>
      <translation>修改拜訪計劃</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="90" />
      <source>Ends</source>
      <translation>結束時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="239" />
      <source>Figures</source>
      <translation>資料</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="191" />
      <source>File visit report</source>
      <translation>填寫拜訪記錄</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="86" />
      <source>Find customer</source>
      <translation>查詢客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="235" />
      <source>Growth rate %</source>
      <translation>增長率 %</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="208" />
      <source>Name and position, when not a key person</source>
      <translation>非關鍵人時填寫姓名和職務</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="69" />
      <source>New visit plan</source>
      <translation>新建拜訪計劃</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="125" />
      <source>No customer found; try another spelling</source>
      <translation>未找到客戶,請換一種寫法</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="240" />
      <source>Notes</source>
      <translation>拜訪情況</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="227" />
      <source>Person met</source>
      <translation>會見人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="93" />
      <source>Place</source>
      <translation>地點</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="237" />
      <source>Profit margin %</source>
      <translation>利潤率 %</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="243" />
      <source>Promise</source>
      <translation>承諾事項</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="241" />
      <source>Promises made (each becomes a follow-up until done):</source>
      <translation>所作承諾(每項成為跟進事項,直至完成):</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="92" />
      <source>Purpose</source>
      <translation>目的</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="88" />
      <source>Staff</source>
      <translation>拜訪人員</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="89" />
      <source>Starts</source>
      <translation>開始時間</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="73" />
      <source>Type a name, pinyin initials, code or phone, then Enter</source>
      <translation>輸入名稱、拼音首字母、編號或電話,按回車</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="225" />
      <source>Visited on</source>
      <translation>拜訪日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="133" />
      <source>Write the time like 2026-11-25 09:30</source>
      <translation>時間請寫作 2026-11-25 09:30</translation>
    </message>
  </context>
  <context>
    <name>VisitSideLists</name>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="158" />
      <source>Birthday</source>
      <translation>生日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="166" />
      <source>Choose a birthday in the list: the greeting goes on that customer's log.</source>
      <translation>請先在列表中選擇一個生日:問候記入該客戶的聯絡記錄。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="85" />
      <source>Choose a follow-up first</source>
      <translation>請先選擇一項跟進事項</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Customer</source>
      <translation>客戶</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="106" />
      <source>Customers nobody contacted this quarter (巡回访问).</source>
      <translation>本季度尚無人聯絡的客戶(巡迴訪問)。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="105" />
      <source>Customers past the longest gap between contacts for their grade (A: once a quarter).</source>
      <translation>超過其等級最長聯絡間隔的客戶(A級:每季度至少一次)。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="111" />
      <source>Days overdue</source>
      <translation>逾期天數</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Due</source>
      <translation>到期日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="111" />
      <source>Grade</source>
      <translation>等級</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>Greeted</source>
      <translation>已問候</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="158" />
      <source>Holiday</source>
      <translation>節日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="169" />
      <source>How (call, card, gift) and what was said</source>
      <translation>問候方式(電話、賀卡、禮品)與內容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>Kind</source>
      <translation>類別</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="110" />
      <source>Last contact</source>
      <translation>最近聯絡</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="70" />
      <source>Mark done</source>
      <translation>標記完成</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Owner</source>
      <translation>負責人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Promise</source>
      <translation>承諾事項</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="169" />
      <source>Record greeting</source>
      <translation>登記問候</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="147" />
      <source>Record greeting…</source>
      <translation>登記問候…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="178" />
      <source>Recorded on the customer's contact log.</source>
      <translation>已記入客戶的聯絡記錄。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="158" />
      <source>Report due</source>
      <translation>報告截止</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>What</source>
      <translation>內容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="125" />
      <source>never</source>
      <translation>從未</translation>
    </message>
  </context>
  <context>
    <name>VisitsTab</name>
    <message>
      <location filename="../../ui/visits/tab.py" line="72" />
      <source>(all departments)</source>
      <translation>(全部部門)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="73" />
      <source>(all regions)</source>
      <translation>(全部區域)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="70" />
      <source>(everyone)</source>
      <translation>(全部人員)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="335" />
      <source>Areas and routes</source>
      <translation>拜訪區域與路線</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="124" />
      <source>Birthdays and holidays</source>
      <translation>生日與節日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="330" />
      <source>Calendar</source>
      <translation>日曆</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="89" />
      <source>Cancel plan</source>
      <translation>取消計劃</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="261" />
      <source>Cancel the visit to {name} on {when}?</source>
      <translation>取消 {when} 對{name}的拜訪?</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="248" />
      <source>Choose a planned visit in the calendar first</source>
      <translation>請先在日曆中選擇一項計劃中的拜訪</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="345" />
      <source>Complaints</source>
      <translation>客戶投訴</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="309" />
      <source>Contact plan</source>
      <translation>客戶聯絡計劃表</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="309" />
      <source>Contact schedule</source>
      <translation>客戶聯絡預定表</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="52" />
      <source>Day</source>
      <translation>日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="76" />
      <source>Department</source>
      <translation>部門</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="85" />
      <source>Edit plan…</source>
      <translation>修改計劃…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="275" />
      <source>Export .ics</source>
      <translation>匯出日曆檔案</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="91" />
      <source>Export .ics…</source>
      <translation>匯出 .ics…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="286" />
      <source>Exported to {path}.</source>
      <translation>已匯出到 {path}。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="87" />
      <source>File visit report…</source>
      <translation>填寫拜訪記錄…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="121" />
      <source>Follow-ups</source>
      <translation>跟進事項</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="347" />
      <source>Hospitality meals</source>
      <translation>招待用餐</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="344" />
      <source>Inquiries</source>
      <translation>客戶詢價</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="52" />
      <source>Month</source>
      <translation>月</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="224" />
      <source>Moved to {when}.</source>
      <translation>已改期到 {when}。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="83" />
      <source>New plan…</source>
      <translation>新建計劃…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="122" />
      <source>Overdue</source>
      <translation>逾期未訪</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="242" />
      <source>Plan saved.</source>
      <translation>計劃已儲存。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="97" />
      <source>Print forms</source>
      <translation>列印表單</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="77" />
      <source>Region</source>
      <translation>區域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="76" />
      <source>Rep</source>
      <translation>人員</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="123" />
      <source>Rotation</source>
      <translation>巡迴訪問</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="61" />
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="346" />
      <source>Tours</source>
      <translation>客戶參觀</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="309" />
      <source>Visit records</source>
      <translation>客戶拜訪記錄表</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="254" />
      <source>Visit report filed; it is in the customer's contact log.</source>
      <translation>拜訪記錄已儲存,並已記入客戶檔案的聯絡記錄。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="52" />
      <source>Week</source>
      <translation>周</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="306" />
      <source>{n} rows written to {path}.</source>
      <translation>已寫入 {n} 行:{path}。</translation>
    </message>
  </context>
</TS>
