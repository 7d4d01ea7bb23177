<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AdvancementDialog</name>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="89" />
      <source>Advancement application</source>
      <translation>客户进阶申请</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="237" />
      <source>Agree</source>
      <translation>审核通过</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="210" />
      <source>Applicant</source>
      <translation>申请人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="205" />
      <source>Application {n}</source>
      <translation>进阶申请 {n}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="238" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="238" />
      <source>Ask for more</source>
      <translation>要求补充</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="221" />
      <source>By</source>
      <translation>经办人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="306" />
      <source>Choose a customer</source>
      <translation>请选择客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="221" />
      <source>Comment</source>
      <translation>意见</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="232" />
      <source>Comment (required when returning)</source>
      <translation>意见(退回或要求补充时必填)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="90" />
      <source>Complete and resubmit {n}</source>
      <translation>补充并重新提交 {n}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="217" />
      <source>Criteria met</source>
      <translation>符合的进阶标准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="98" />
      <source>Criteria met (进阶标准)</source>
      <translation>已达到的进阶标准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="108" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="251" />
      <source>History</source>
      <translation>审核审批记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="281" />
      <source>Mark customer lost</source>
      <translation>登记流失客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="293" />
      <source>Reason the customer was lost</source>
      <translation>流失原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="214" />
      <source>Reasons</source>
      <translation>进阶理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="114" />
      <source>Reasons (进阶理由)</source>
      <translation>进阶理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="237" />
      <source>Return to the rep</source>
      <translation>退回申请人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="46" />
      <source>Search name or code</source>
      <translation>按名称或编号查找</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="211" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="109" />
      <source>Step</source>
      <translation>进阶类别</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="148" />
      <source>This customer has no step to apply for now.</source>
      <translation>该客户目前没有可申请的进阶类别。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="221" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="104" />
      <source>Why the customer qualifies: facts, dates, figures</source>
      <translation>客户符合进阶的依据:事实、日期、数据</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_dialog.py" line="289" />
      <source>e.g. went to a competitor for price</source>
      <translation>例如:因价格转向竞争对手</translation>
    </message>
  </context>
  <context>
    <name>AdvancementPanel</name>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="33" />
      <source>All applications</source>
      <translation>全部申请</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Applicant</source>
      <translation>申请人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="64" />
      <source>Complete and resubmit…</source>
      <translation>补充并重新提交…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="65" />
      <source>Customer notified</source>
      <translation>已通知客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Filed on</source>
      <translation>申请日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="189" />
      <source>How was the customer told (phone, letter, visit)?</source>
      <translation>以何种方式通知客户(电话、信函、拜访)?</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="67" />
      <source>Mark customer lost…</source>
      <translation>登记流失客户…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="33" />
      <source>My applications</source>
      <translation>我的申请</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="62" />
      <source>New application…</source>
      <translation>新建进阶申请…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="68" />
      <source>Print form…</source>
      <translation>打印申请表…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="63" />
      <source>Review / approve…</source>
      <translation>审核 / 审批…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="83" />
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="34" />
      <source>Step</source>
      <translation>进阶类别</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="33" />
      <source>Waiting for me</source>
      <translation>待我处理</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="66" />
      <source>Withdraw</source>
      <translation>撤回</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="196" />
      <source>Withdraw application {n}?</source>
      <translation>撤回进阶申请 {n}?</translation>
    </message>
    <message>
      <location filename="../../ui/grading/advancement_panel.py" line="121" />
      <source>{n} applications</source>
      <translation>共 {n} 份申请</translation>
    </message>
  </context>
  <context>
    <name>Application</name>
    <message>
      <location filename="../../ui/application.py" line="101" />
      <source>Cannot open the database</source>
      <translation>无法打开数据库</translation>
    </message>
    <message>
      <location filename="../../ui/application.py" line="62" />
      <source>Demo accounts: {names}; password {password}</source>
      <translation>演示账号:{names};密码均为 {password}</translation>
    </message>
  </context>
  <context>
    <name>ArchivePanel</name>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="111" />
      <source>Add entry…</source>
      <translation>添加记录…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="109" />
      <source>All sections</source>
      <translation>全部分类</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="62" />
      <source>Amount (yuan)</source>
      <translation>金额(元)</translation>
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
      <translation>详细内容</translation>
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
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="46" />
      <source>New archive entry</source>
      <translation>新增档案记录</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="117" />
      <source>No entries in this section yet: record contracts, receivables, complaints and contacts with “Add entry…”.</source>
      <translation>本分类还没有记录:请点击“添加记录…”登记合同、欠款还款、投诉折价和联络记录。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="33" />
      <source>Recorded by</source>
      <translation>记录人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Reference</source>
      <translation>编号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="63" />
      <source>Reference no.</source>
      <translation>编号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Section</source>
      <translation>档案分类</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="32" />
      <source>Subject</source>
      <translation>摘要</translation>
    </message>
    <message>
      <location filename="../../ui/customers/archive_panel.py" line="53" />
      <source>e.g. 500万 or 5000000</source>
      <translation>如 500万 或 5000000</translation>
    </message>
  </context>
  <context>
    <name>AttributesDialog</name>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="53" />
      <source>0–100; empty: {d} counts</source>
      <translation>0–100;不填按 {d} 分计</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="49" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="64" />
      <source>How the scores were judged (who, what evidence)</source>
      <translation>评分依据(谁评的、凭什么)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="35" />
      <source>Industry reputation (行业信誉)</source>
      <translation>行业信誉</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="72" />
      <source>Last changed by {who} {when}</source>
      <translation>最近修改:{who} {when}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="67" />
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="74" />
      <source>Only those who may run the grading change these scores.</source>
      <translation>只有有权计算客户分级的人员可以修改评分项。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="34" />
      <source>Our share of their sales (占其销售比例)</source>
      <translation>我司产品占其销售比例</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="33" />
      <source>Sales model (销售模式)</source>
      <translation>销售模式</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="45" />
      <source>Scoring items — {customer}</source>
      <translation>评分项 — {customer}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="61" />
      <source>Years dealing in our products</source>
      <translation>经营我司产品年限</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="33" />
      <source>e.g. direct sales and own outlets score high</source>
      <translation>例如:直销、自有网点得分高</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="60" />
      <source>no sales recorded yet</source>
      <translation>尚无销售记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="34" />
      <source>our products' share of what they sell</source>
      <translation>我司产品在其销售中所占比例</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="59" />
      <source>since {year} (from the sales records)</source>
      <translation>自 {year} 年起(按销售记录计算)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/attributes_dialog.py" line="35" />
      <source>standing in the trade, disputes, references</source>
      <translation>行业口碑、纠纷、同行评价</translation>
    </message>
  </context>
  <context>
    <name>BackupDialog</name>
    <message>
      <location filename="../../ui/backup_dialog.py" line="188" />
      <source>All data in the current database will be replaced by the contents of {file}.
A safety copy of the current data is kept first.

Restore now?</source>
      <translation>当前数据库中的全部数据将被 {file} 的内容替换。
替换前会先保存一份当前数据的副本。

现在恢复吗?</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="141" />
      <source>Back up database</source>
      <translation>备份数据库</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="62" />
      <source>Back up now</source>
      <translation>立即备份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="64" />
      <source>Back up to a file…</source>
      <translation>备份到文件…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="58" />
      <source>Backup and restore</source>
      <translation>备份与恢复</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="133" />
      <source>Backup folder</source>
      <translation>备份文件夹</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="118" />
      <source>Backups to keep</source>
      <translation>保留份数</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="106" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="163" />
      <source>Choose backup file</source>
      <translation>选择备份文件</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="75" />
      <source>Choose backup file…</source>
      <translation>选择备份文件…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="117" />
      <source>Day of the month</source>
      <translation>每月几号</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="119" />
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="100" />
      <source>In shorter months the last day of the month is used.</source>
      <translation>当月没有这一天时,在月末最后一天备份。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="129" />
      <source>Last attempt failed: {error}</source>
      <translation>上次尝试失败:{error}</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="120" />
      <source>Last scheduled backup</source>
      <translation>上次定期备份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="95" />
      <source>Monthly backup</source>
      <translation>每月定期备份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="71" />
      <source>Restore from a backup</source>
      <translation>从备份恢复</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="77" />
      <source>Restore this backup…</source>
      <translation>恢复此备份…</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="199" />
      <source>Restored and verified. KeDesk will close now; start it again to work with the restored data.</source>
      <translation>恢复完成并已校验。客台现在将关闭,请重新启动后使用恢复的数据。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="114" />
      <source>Save schedule</source>
      <translation>保存计划</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="222" />
      <source>Saved.</source>
      <translation>已保存。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="197" />
      <source>The data as it was is kept in {path}.</source>
      <translation>恢复前的数据保存在 {path}。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="73" />
      <source>The file is checked first; nothing changes until you confirm.</source>
      <translation>先校验文件;在您确认之前不会改动任何数据。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="216" />
      <source>This folder does not exist.</source>
      <translation>该文件夹不存在。</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="152" />
      <source>Written and verified: {path}</source>
      <translation>已写入并校验:{path}</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="127" />
      <source>none yet</source>
      <translation>尚无</translation>
    </message>
    <message>
      <location filename="../../ui/backup_dialog.py" line="172" />
      <source>{file} can be restored: {summary}</source>
      <translation>{file} 可以恢复:{summary}</translation>
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
      <translation>每月定期备份</translation>
    </message>
    <message>
      <location filename="../../ui/backup_timer.py" line="24" />
      <source>Monthly backup written and verified: {path}</source>
      <translation>每月备份已写入并校验:{path}</translation>
    </message>
  </context>
  <context>
    <name>BorrowDialog</name>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Access</source>
      <translation>权限</translation>
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
      <translation>审批人</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="158" />
      <source>Approved.</source>
      <translation>已批准。</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="53" />
      <source>Borrow an archive</source>
      <translation>档案借阅</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Days</source>
      <translation>借阅天数</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Department</source>
      <translation>所属部门</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="56" />
      <source>Exact customer code or full name</source>
      <translation>输入完整的客户编号或客户全称</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Expires</source>
      <translation>到期时间</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Level</source>
      <translation>保密级别</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="99" />
      <source>My requests</source>
      <translation>我的申请</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="126" />
      <source>No single customer has this exact code or name</source>
      <translation>没有编号或全称完全一致的客户</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="107" />
      <source>Pending</source>
      <translation>待审批</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="66" />
      <source>Read and edit</source>
      <translation>查阅并修改</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="65" />
      <source>Read only</source>
      <translation>仅查阅</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Reason</source>
      <translation>查阅原因</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="87" />
      <source>Reject</source>
      <translation>驳回</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="107" />
      <source>Rejected</source>
      <translation>已驳回</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="158" />
      <source>Rejected.</source>
      <translation>已驳回。</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="143" />
      <source>Request submitted; it waits for approval.</source>
      <translation>申请已提交,等待审批。</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Requested</source>
      <translation>申请时间</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="37" />
      <source>Requested by</source>
      <translation>申请人</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="99" />
      <source>Requests to decide</source>
      <translation>待我审批的申请</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="38" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/borrow_dialog.py" line="67" />
      <source>Submit request</source>
      <translation>提交申请</translation>
    </message>
  </context>
  <context>
    <name>BuyerDocuments</name>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Document</source>
      <translation>单据</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>For</source>
      <translation>事由</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Issued by</source>
      <translation>开具人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="88" />
      <source>Preview…</source>
      <translation>预览…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="152" />
      <source>Reason for cancelling {number} (collect all copies of the original):</source>
      <translation>冲销 {number} 的原因(请收回原单据各联):</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="166" />
      <source>Reason for moving to {flat}:</source>
      <translation>换到 {flat} 的原因:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="152" />
      <source>Red-letter reversal</source>
      <translation>红字冲红</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="90" />
      <source>Red-letter reversal…</source>
      <translation>红字冲红…</translation>
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
      <translation>冲销</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="33" />
      <source>Reviewed by</source>
      <translation>复核人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="89" />
      <source>Review…</source>
      <translation>复核…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="115" />
      <source>Select a document first</source>
      <translation>请先选择一张单据</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="178" />
      <source>Select the buyer's current ticket</source>
      <translation>请选择该购房者当前有效的选房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="164" />
      <source>Select the ticket here and the new flat on the grid</source>
      <translation>请在此选择选房工作票,并在销控表中选择新房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="166" />
      <source>Swap flat</source>
      <translation>换房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="91" />
      <source>Swap to the flat chosen on the grid…</source>
      <translation>换到销控表中选中的房源…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="100" />
      <source>This buyer's documents</source>
      <translation>该购房者的单据</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="60" />
      <source>cancelled by {n}</source>
      <translation>已被 {n} 冲销</translation>
    </message>
    <message>
      <location filename="../../ui/selection/buyer_documents.py" line="59" />
      <source>cancels {n}</source>
      <translation>冲销 {n}</translation>
    </message>
  </context>
  <context>
    <name>CalendarView</name>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="366" />
      <source>+{n} more</source>
      <translation>另有 {n} 项</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Fri</source>
      <translation>周五</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="315" />
      <source>Make-up working day</source>
      <translation>调休上班</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Mon</source>
      <translation>周一</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="315" />
      <source>Off</source>
      <translation>休</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Sat</source>
      <translation>周六</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Sun</source>
      <translation>周日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Thu</source>
      <translation>周四</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Tue</source>
      <translation>周二</translation>
    </message>
    <message>
      <location filename="../../ui/visits/calendar_view.py" line="29" />
      <source>Wed</source>
      <translation>周三</translation>
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
      <translation>下一位:{list}   (还有 {n} 人等候)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="61" />
      <source>Number {order} {name}, please go to {desk}</source>
      <translation>请 {order} 号 {name} 到 {desk} 选房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="32" />
      <source>Queue — {title}</source>
      <translation>叫号 — {title}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/call_screen.py" line="65" />
      <source>Waiting for the first call</source>
      <translation>等待叫号</translation>
    </message>
  </context>
  <context>
    <name>CardEditor</name>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="205" />
      <source>(one level down: {n} late payments in {quarter})</source>
      <translation>(已降一级:{quarter} 逾期付款 {n} 次)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="36" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="41" />
      <source>Annual revenue (yuan)</source>
      <translation>年营业收入(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="57" />
      <source>Business scope</source>
      <translation>经营范围</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="216" />
      <source>Call or visit at least every {n} days</source>
      <translation>至少每 {n} 天电话或拜访一次</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="166" />
      <source>Changed by an advancement application or a grading run</source>
      <translation>由客户进阶审批或分级确认变更</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="54" />
      <source>Confidentiality</source>
      <translation>保密级别</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="48" />
      <source>Cooperation status</source>
      <translation>合作状态</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="50" />
      <source>Credit limit (yuan)</source>
      <translation>信用额度(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="30" />
      <source>Customer code</source>
      <translation>客户编号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="31" />
      <source>Customer name</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="39" />
      <source>Customer type</source>
      <translation>客户类型</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="176" />
      <source>Dates are written like 2026-11-25</source>
      <translation>日期格式如 2026-11-25</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="211" />
      <source>Delivery within {days} days; rush orders: {rush}</source>
      <translation>交货期:{days} 天;可插单:{rush}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="53" />
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="45" />
      <source>Distance from company (km)</source>
      <translation>与公司距离(公里)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="43" />
      <source>Enterprise size</source>
      <translation>企业规模</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="35" />
      <source>Fax</source>
      <translation>传真</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="49" />
      <source>Grade</source>
      <translation>客户等级</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="208" />
      <source>Grade: {grade}</source>
      <translation>客户等级:{grade}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="42" />
      <source>Headcount</source>
      <translation>从业人数</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="38" />
      <source>Industry</source>
      <translation>行业</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="47" />
      <source>Information channel level</source>
      <translation>信息渠道等级</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="213" />
      <source>Inquiries answered within {hours} hours</source>
      <translation>客户询问 {hours} 小时内答复</translation>
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
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="52" />
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="210" />
      <source>Payment: {text}</source>
      <translation>付款:{text}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="34" />
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="107" />
      <source>Policy for this grade</source>
      <translation>本等级政策</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="37" />
      <source>Postcode</source>
      <translation>邮编</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="209" />
      <source>Price: {text}</source>
      <translation>价格:{text}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="51" />
      <source>Reason for loss</source>
      <translation>流失原因</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="44" />
      <source>Region</source>
      <translation>区域</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="40" />
      <source>Registered capital (yuan)</source>
      <translation>注册资本(元)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="46" />
      <source>Source</source>
      <translation>客户来源</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="33" />
      <source>Unified social credit code</source>
      <translation>统一社会信用代码</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="56" />
      <source>Unsuitable visit times</source>
      <translation>不宜拜访时间</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="120" />
      <source>e.g. 500万 or 5000000</source>
      <translation>如 500万 或 5000000</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="121" />
      <source>generated when left empty</source>
      <translation>留空则自动生成</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="212" />
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_editor.py" line="208" />
      <source>none (treated as C)</source>
      <translation>未分级(按C级)</translation>
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
      <translation>待录入的客户资料变更</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Code</source>
      <translation>客户编号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Due by</source>
      <translation>录入期限</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="31" />
      <source>No card waits for a reported change.</source>
      <translation>没有待录入变更的客户卡片。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Reported change</source>
      <translation>拜访报告所报变化</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="15" />
      <source>Visited</source>
      <translation>拜访日期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/card_updates_dialog.py" line="49" />
      <source>What a visit report says changed goes on the card within the hours the business rules set (24 by default). Double-click a row to open the card.</source>
      <translation>拜访报告所报的变化须在业务规则规定的时限内(默认24小时)录入客户卡片。双击一行打开该客户卡片。</translation>
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
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="77" />
      <source>Cancel check-out</source>
      <translation>取消检出</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="73" />
      <source>Check out</source>
      <translation>检出</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="44" />
      <source>Check out to this computer (offline field work)</source>
      <translation>检出到本机(离线外出)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="159" />
      <source>Check-out failed: {error}</source>
      <translation>检出失败:{error}</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="149" />
      <source>Checked out {n} customers ({rows} records) to the encrypted file {path}. Open it away from the office with KeDesk --laptop and your password; sync when you are back.</source>
      <translation>已检出 {n} 个客户(共 {rows} 条记录)到加密离线副本 {path}。外出时用“客台 --laptop”和您的密码打开,回来后同步。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="100" />
      <source>Choose where the encrypted file goes.</source>
      <translation>请选择加密副本保存的位置。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="46" />
      <source>Copies the customers you may read into an encrypted file on this computer, so you can open and edit them away from the office. Your password locks the file; log in with it on this computer (KeDesk --laptop) and sync when you are back.</source>
      <translation>把您有权查阅的客户复制到本机的加密文件中,外出时可以查看和修改。文件用您的密码加密;在本机用该密码登录(客台 --laptop),回来后同步。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="63" />
      <source>Device name</source>
      <translation>设备名称</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="64" />
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="93" />
      <source>KeDesk offline replica (*.kedesk)</source>
      <translation>客台离线副本 (*.kedesk)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="99" />
      <source>Name this computer, e.g. “Zhang's laptop”.</source>
      <translation>请为本机起个名字,例如“张经理的笔记本”。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="92" />
      <source>Offline replica file</source>
      <translation>离线副本文件</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="65" />
      <source>Password (again)</source>
      <translation>再次输入密码</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="101" />
      <source>Type your own login password again: it locks the file.</source>
      <translation>请再次输入您本人的登录密码:它用来加密副本。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="61" />
      <source>your own login password</source>
      <translation>您本人的登录密码</translation>
    </message>
    <message>
      <location filename="../../ui/sync/checkout_dialog.py" line="51" />
      <source>{name}'s laptop</source>
      <translation>{name}的笔记本</translation>
    </message>
  </context>
  <context>
    <name>ComplaintDialog</name>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="69" />
      <source>(not a customer on file)</source>
      <translation>(非在册客户)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="62" />
      <source>Cause</source>
      <translation>投诉原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="61" />
      <source>Channel</source>
      <translation>投诉渠道</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="59" />
      <source>Complainant</source>
      <translation>投诉人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="96" />
      <source>Complaint {number}</source>
      <translation>投诉 {number}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="60" />
      <source>Contact</source>
      <translation>联系方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="58" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="65" />
      <source>Details</source>
      <translation>投诉内容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="57" />
      <source>Find customer</source>
      <translation>查找客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="108" />
      <source>Next step</source>
      <translation>下一步</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="109" />
      <source>Note</source>
      <translation>说明</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="40" />
      <source>Receive a complaint</source>
      <translation>受理客户投诉</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="63" />
      <source>Received at</source>
      <translation>受理时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="107" />
      <source>Steps so far</source>
      <translation>处理经过</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="64" />
      <source>Subject</source>
      <translation>投诉事由</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="112" />
      <source>This complaint is closed.</source>
      <translation>该投诉已结案。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaint_dialog.py" line="53" />
      <source>Type a name, pinyin or phone to find the customer</source>
      <translation>输入名称、拼音或电话后回车查找客户</translation>
    </message>
  </context>
  <context>
    <name>ComplaintsPanel</name>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="59" />
      <source> (late)</source>
      <translation>(超时)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Answer due</source>
      <translation>答复期限</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Answered</source>
      <translation>答复时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Cause</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="40" />
      <source>Cause statistics (Excel)…</source>
      <translation>原因统计(Excel)…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="87" />
      <source>Choose a complaint in the list first.</source>
      <translation>请先在列表中选择一条投诉。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="93" />
      <source>Complaint statistics</source>
      <translation>投诉原因统计</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Customer / complainant</source>
      <translation>客户/投诉人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="94" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="39" />
      <source>Handle…</source>
      <translation>处理…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="37" />
      <source>Open only</source>
      <translation>只看未结案</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Overdue</source>
      <translation>超时</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Received</source>
      <translation>受理时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="39" />
      <source>Receive…</source>
      <translation>受理投诉…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="25" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="24" />
      <source>Subject</source>
      <translation>事由</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="73" />
      <source>{h} h</source>
      <translation>{h} 小时</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="99" />
      <source>{n} complaints written to {path}</source>
      <translation>已导出 {n} 条投诉到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/complaints_panel.py" line="74" />
      <source>{n} complaints · {k} overdue ({w} still unanswered) · resolved {c} ({rate}) · satisfaction {sat} · mean answer {answer} · mean resolution {resolve}</source>
      <translation>共 {n} 件投诉 · 超时 {k} 件(其中 {w} 件仍未答复)· 已结案 {c} 件(结案率 {rate})· 满意率 {sat} · 平均答复时间 {answer} · 平均解决时间 {resolve}</translation>
    </message>
  </context>
  <context>
    <name>ConflictsDialog</name>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="40" />
      <source>By</source>
      <translation>修改人 · 设备</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Central value</source>
      <translation>中心的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="46" />
      <source>Central value (kept now)</source>
      <translation>中心的值(当前保留)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Edited at</source>
      <translation>修改时间</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="53" />
      <source>Keep central</source>
      <translation>保留中心的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="40" />
      <source>Laptop value</source>
      <translation>离线的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="47" />
      <source>Laptop value (mine)</source>
      <translation>离线的值(我的修改)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="39" />
      <source>Record</source>
      <translation>记录</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="37" />
      <source>Sync conflicts</source>
      <translation>同步冲突</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="54" />
      <source>Take mine</source>
      <translation>采用离线的值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="40" />
      <source>Why</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/sync/conflicts_dialog.py" line="79" />
      <source>{n} open conflicts</source>
      <translation>待处理冲突 {n} 项</translation>
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
      <translation>请选择要分配的员工</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="143" />
      <source>Choose staff…</source>
      <translation>选择员工…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="184" />
      <source>Contact staff</source>
      <translation>联系人员</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="57" />
      <source>Important customer (重要客户)</source>
      <translation>重要客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="44" />
      <source>Important customer: {n} of the required {m} contact staff. Assign {k} more.</source>
      <translation>重要客户:现有联系人员 {n} 人,至少需要 {m} 人,请再分配 {k} 人。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="129" />
      <source>Important: {why}</source>
      <translation>重要客户依据:{why}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="121" />
      <source>Owner (负责人)</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="83" />
      <source>Remove selected</source>
      <translation>移除所选</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="178" />
      <source>Select the staff member to remove</source>
      <translation>请先选中要移除的联系人员</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="30" />
      <source>Staff</source>
      <translation>员工</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="185" />
      <source>Take {name} off this customer's contact staff?</source>
      <translation>将 {name} 从该客户的联系人员中移除?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="107" />
      <source>The owner counts as one contact; staff who have left are shown but not counted.</source>
      <translation>负责人计为一名联系人员;已离职的员工仍列出,但不计入人数。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="182" />
      <source>The owner is changed on the Basic data tab</source>
      <translation>负责人请在“基本资料”中修改</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="31" />
      <source>grade A</source>
      <translation>A级客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="31" />
      <source>large enterprise</source>
      <translation>大型企业</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="31" />
      <source>marked by hand</source>
      <translation>手工标记</translation>
    </message>
    <message>
      <location filename="../../ui/customers/contacts_panel.py" line="122" />
      <source>{name} (left, not counted)</source>
      <translation>{name}(已离职,不计入)</translation>
    </message>
  </context>
  <context>
    <name>CrashDialog</name>
    <message>
      <location filename="../../ui/crash_dialog.py" line="42" />
      <source>Copied</source>
      <translation>已复制</translation>
    </message>
    <message>
      <location filename="../../ui/crash_dialog.py" line="33" />
      <source>Copy details for support</source>
      <translation>复制详细信息(发给技术支持)</translation>
    </message>
    <message>
      <location filename="../../ui/crash_dialog.py" line="21" />
      <source>Something went wrong. Your data is safe: what was saved stays saved.
The details are in the log file:
{path}

{error}</source>
      <translation>程序出现了意外错误。数据是安全的:已保存的内容不受影响。
详细信息记录在日志文件中:
{path}

{error}</translation>
    </message>
    <message>
      <location filename="../../ui/crash_dialog.py" line="19" />
      <source>Unexpected error</source>
      <translation>程序错误</translation>
    </message>
  </context>
  <context>
    <name>CreditDialog</name>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="127" />
      <source>Approval by</source>
      <translation>审批人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="109" />
      <source>Approval requests</source>
      <translation>超限审批申请</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="137" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="81" />
      <source>Check</source>
      <translation>核对</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="77" />
      <source>Check an order</source>
      <translation>核对订单</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="263" />
      <source>Choose a request first.</source>
      <translation>请先选择一份申请。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="136" />
      <source>Comment (required when refusing)</source>
      <translation>审批意见(不批准时必填)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="71" />
      <source>Credit grade</source>
      <translation>信用等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="58" />
      <source>Credit limit</source>
      <translation>信用额度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="64" />
      <source>Credit position of {name}</source>
      <translation>{name} 的信用情况</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="90" />
      <source>File request for approval</source>
      <translation>提交超限审批申请</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="127" />
      <source>Filed by / reason</source>
      <translation>申请人 / 理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="173" />
      <source>Grade {grade}</source>
      <translation>{grade}级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="74" />
      <source>Headroom</source>
      <translation>剩余额度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Limit</source>
      <translation>额度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Order amount</source>
      <translation>订单金额</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="94" />
      <source>Order amount (yuan)</source>
      <translation>订单金额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="232" />
      <source>Over the limit by {over}: needs approval by {who}.</source>
      <translation>超出信用额度 {over}:需{who}审批。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="116" />
      <source>Print approval form…</source>
      <translation>打印审批单…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="100" />
      <source>Reason</source>
      <translation>申请理由</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="138" />
      <source>Refuse</source>
      <translation>不批准</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="253" />
      <source>Request filed: waiting for the approval of {who}.</source>
      <translation>申请已提交,等待{who}审批。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="120" />
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="127" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="114" />
      <source>This customer's requests</source>
      <translation>该客户的申请</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="126" />
      <source>Unpaid</source>
      <translation>未收回款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="73" />
      <source>Unpaid receivables</source>
      <translation>未收回款(应收未付)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="113" />
      <source>Waiting for my approval</source>
      <translation>待我审批</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="88" />
      <source>Why credit over the limit should be given</source>
      <translation>说明为何需要超出信用额度供货</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="229" />
      <source>Within the limit: {left} left after this order.</source>
      <translation>在信用额度以内:本单后剩余额度 {left}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="175" />
      <source>none — payment first</source>
      <translation>无(先款后货)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/credit_dialog.py" line="173" />
      <source>not graded</source>
      <translation>未评定</translation>
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
      <translation>导出客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="49" />
      <source>Exported {n} customers to {path}</source>
      <translation>已导出 {n} 个客户到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="37" />
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="22" />
      <source>Import customers</source>
      <translation>导入客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="70" />
      <source>Print customer card</source>
      <translation>打印客户档案</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="67" />
      <source>Select a customer first.</source>
      <translation>请先选择一个客户。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/actions.py" line="97" />
      <source>{n} customers handed over.</source>
      <translation>已移交 {n} 个客户。</translation>
    </message>
  </context>
  <context>
    <name>CustomerDialogs</name>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="68" />
      <source>Add to blacklist</source>
      <translation>列入黑名单</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="116" />
      <source>All customers with their archives, the visit plans not yet made and the open follow-ups move to the successor; the leaver is marked inactive.</source>
      <translation>全部客户及其档案、尚未执行的拜访计划和未完成的跟进事项都移交给接手人;调离人标记为离职。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="45" />
      <source>Blacklisted</source>
      <translation>黑名单</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="51" />
      <source>Create anyway</source>
      <translation>仍然新建</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="74" />
      <source>Criterion</source>
      <translation>列入标准</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="74" />
      <source>Criterion for removal</source>
      <translation>移出标准</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="113" />
      <source>Disable the leaver's login in the same step</source>
      <translation>同时停用调离人的登录账号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="104" />
      <source>Hand over a leaving rep's customers</source>
      <translation>员工调离移交</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="111" />
      <source>Leaving rep</source>
      <translation>调离人员</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="50" />
      <source>Merge into existing</source>
      <translation>合并到已有客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="50" />
      <source>Open existing</source>
      <translation>打开已有客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="39" />
      <source>Possible duplicate</source>
      <translation>可能重复的客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="75" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="68" />
      <source>Remove from blacklist</source>
      <translation>移出黑名单</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="112" />
      <source>Successor</source>
      <translation>接任人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/dialogs.py" line="42" />
      <source>These customers look like the one you are creating:</source>
      <translation>以下客户与正在新建的客户相似:</translation>
    </message>
  </context>
  <context>
    <name>CustomerListModel</name>
    <message>
      <location filename="../../ui/customers/list_model.py" line="123" />
      <source>Blacklisted</source>
      <translation>黑名单</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="24" />
      <source>Code</source>
      <translation>客户编号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="25" />
      <source>Customer name</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="50" />
      <source>Due soon</source>
      <translation>即将到期</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="27" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="28" />
      <source>Industry</source>
      <translation>行业</translation>
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
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="31" />
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="32" />
      <source>Re-verification</source>
      <translation>重新核定</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="29" />
      <source>Region</source>
      <translation>区域</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="26" />
      <source>Status</source>
      <translation>合作状态</translation>
    </message>
    <message>
      <location filename="../../ui/customers/list_model.py" line="131" />
      <source>This customer is on the blacklist</source>
      <translation>该客户已列入黑名单</translation>
    </message>
  </context>
  <context>
    <name>CustomerTab</name>
    <message>
      <location filename="../../ui/customers/tab.py" line="66" />
      <source>All grades</source>
      <translation>全部等级</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="202" />
      <source>All owners</source>
      <translation>全部负责人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="199" />
      <source>All regions</source>
      <translation>全部区域</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="65" />
      <source>All statuses</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="145" />
      <source>Archive</source>
      <translation>档案</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="142" />
      <source>Basic data</source>
      <translation>基本资料</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="70" />
      <source>Blacklist: all</source>
      <translation>黑名单:全部</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="333" />
      <source>Blacklisted</source>
      <translation>已列入黑名单</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="69" />
      <source>Blacklisted only</source>
      <translation>仅黑名单客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="121" />
      <source>Blacklist…</source>
      <translation>黑名单…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="144" />
      <source>Contact staff</source>
      <translation>联系人员</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="339" />
      <source>Contact staff short</source>
      <translation>联系人员不足</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="74" />
      <source>Contact staff: all</source>
      <translation>联系人员:全部</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="66" />
      <source>Grade {g}</source>
      <translation>{g}级</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="146" />
      <source>History</source>
      <translation>修改记录</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="73" />
      <source>Important, short of contact staff</source>
      <translation>重要客户联系人员不足</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="143" />
      <source>Key persons</source>
      <translation>关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="120" />
      <source>Mark re-verified</source>
      <translation>标记为已核定</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="418" />
      <source>Merge</source>
      <translation>合并</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="116" />
      <source>New customer</source>
      <translation>新建客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="249" />
      <source>No customer matches. Try fewer letters or clear the filters.</source>
      <translation>没有符合条件的客户。请少输入几个字,或清除筛选条件。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="111" />
      <source>No customer selected</source>
      <translation>未选择客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="251" />
      <source>No customers yet.
Click “New customer”, or import a list with File → Import customers from Excel.</source>
      <translation>还没有客户。
请点击“新建客户”,或通过 文件 → 从 Excel 导入客户 导入名单。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="69" />
      <source>Not blacklisted</source>
      <translation>非黑名单客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="384" />
      <source>Not saved: please correct the marked fields.</source>
      <translation>未保存:请更正标出的字段。</translation>
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
      <translation>保存</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="394" />
      <source>Saved.</source>
      <translation>已保存。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="397" />
      <source>Saved. The card belongs to its owner's department; you may not open it.</source>
      <translation>已保存。该客户归属负责人所在部门,您无权打开。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="256" />
      <source>Search failed: {e}</source>
      <translation>搜索失败:{e}</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="63" />
      <source>Search name, pinyin, initials, phone, code or credit code</source>
      <translation>搜索名称、拼音、首字母、电话、客户编号或信用代码</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="224" />
      <source>Searching…</source>
      <translation>正在搜索…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="278" />
      <source>The card has unsaved changes. Save them first?</source>
      <translation>客户关系卡有未保存的修改,是否先保存?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="278" />
      <source>Unsaved changes</source>
      <translation>未保存的修改</translation>
    </message>
    <message>
      <location filename="../../ui/customers/tab.py" line="232" />
      <source>{n} customers</source>
      <translation>共 {n} 个客户</translation>
    </message>
  </context>
  <context>
    <name>DeskPanel</name>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="123" />
      <source>Amount (yuan)</source>
      <translation>金额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="92" />
      <source>Approval number, only below the minimum ratio</source>
      <translation>特批文号(仅低于最低付款比例时填写)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="183" />
      <source>Audit note: {flag}</source>
      <translation>审计提示:{flag}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="69" />
      <source>Authorise out of order…</source>
      <translation>授权越序选房…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="285" />
      <source>Authorised: {name} may choose now</source>
      <translation>已授权:{name} 现在可以选房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="85" />
      <source>Choose a flat on the grid (arrow keys, Enter)</source>
      <translation>请在销控表中选择房源(方向键 + 回车)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="292" />
      <source>Desk 1</source>
      <translation>1号台</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="104" />
      <source>Discounts taken</source>
      <translation>享受的优惠</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="251" />
      <source>Enter the amount in yuan, e.g. 20000 or 20000.50</source>
      <translation>请按元填写金额,例如 20000 或 20000.50</translation>
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
      <translation>开选房凭证(回车;由该票的复核人签署)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="94" />
      <source>Issue ticket (Enter)</source>
      <translation>开选房工作票(回车)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="62" />
      <source>No buyer yet</source>
      <translation>尚未核实购房者</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="273" />
      <source>Out of order</source>
      <translation>越序选房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="125" />
      <source>Paid by</source>
      <translation>付款方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="167" />
      <source>Paid {paid} of {due} due now; certificate: {cert}</source>
      <translation>已收 {paid} 元,本次应收 {due} 元;选房凭证:{cert}</translation>
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
      <translation>收款并开收据</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="60" />
      <source>Scan the ID card or the ticket's QR code, or type the number; Enter</source>
      <translation>扫描身份证或选房工作票二维码,或输入号码;回车</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="131" />
      <source>Selection certificate</source>
      <translation>选房凭证</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="84" />
      <source>Selection ticket</source>
      <translation>选房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="181" />
      <source>Ticket {number}: {flat}</source>
      <translation>工作票 {number}:{flat}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="271" />
      <source>Verify a buyer without a ticket first</source>
      <translation>请先核实一位尚未开票的购房者</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="273" />
      <source>Why may {name} choose before their number is called?</source>
      <translation>{name} 未叫到号先选房的原因:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="153" />
      <source>{flat}, {area} m², {price}/m²
total {total}</source>
      <translation>{flat},{area} ㎡,单价 {price} 元/㎡
总价 {total} 元</translation>
    </message>
    <message>
      <location filename="../../ui/selection/desk_panel.py" line="179" />
      <source>{name}  list no. {no}  selection order {order}</source>
      <translation>{name}  名单序号 {no}  选房顺序号 {order}</translation>
    </message>
  </context>
  <context>
    <name>DuplicatesDialog</name>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="56" />
      <source>Cards with the same name (simplified or traditional), unified social credit code or phone number. Merging moves everything of the second card to the first: key persons, archive, sales, payments, visits, complaints.</source>
      <translation>名称(简繁体视为相同)、统一社会信用代码或电话相同的客户卡片。合并会把第二张卡片的全部内容移到第一张:关键人、档案、销售、回款、拜访、投诉。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="49" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="35" />
      <source>Find duplicate customers</source>
      <translation>查找重复客户</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="23" />
      <source>Keep (older card)</source>
      <translation>保留(较早的卡片)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="23" />
      <source>Merge into it</source>
      <translation>并入该卡片</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="47" />
      <source>Merge the selected pair</source>
      <translation>合并所选的一对</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="78" />
      <source>Merge {second} into {first}?</source>
      <translation>把 {second} 并入 {first}?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="89" />
      <source>Merged {second} into {first}.</source>
      <translation>已把 {second} 并入 {first}。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/duplicates_dialog.py" line="37" />
      <source>No duplicates found: no two cards share a name, credit code or phone number.</source>
      <translation>没有发现重复:没有两张卡片的名称、统一社会信用代码或电话相同。</translation>
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
      <translation> → 建议 {n} 分</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="60" />
      <source>Basis of the score</source>
      <translation>得分依据</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="238" />
      <source>Choose a customer</source>
      <translation>请选择客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="112" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="45" />
      <source>Customer relationship evaluation (客户关系评估表)</source>
      <translation>客户关系评估表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="126" />
      <source>Earlier evaluations of this customer (select one to print it)</source>
      <translation>该客户以往的评估(选中一条可打印)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="113" />
      <source>Evaluated on</source>
      <translation>评估日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="81" />
      <source>Evaluator</source>
      <translation>评估人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="92" />
      <source>Fill suggested scores</source>
      <translation>填入建议分数</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="155" />
      <source>From the records: {n} of {m} indicators have a suggested score (see the basis column).</source>
      <translation>依据销售与回款记录:{m} 项指标中 {n} 项有建议分数(见“评分依据”列)。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Indicator</source>
      <translation>评估指标</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="60" />
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="103" />
      <source>Print…</source>
      <translation>打印…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="81" />
      <source>Result</source>
      <translation>评估结果</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="98" />
      <source>Result and suggestions (评估结果及建议)</source>
      <translation>评估结果及建议</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="255" />
      <source>Saved: {result}, total {total}.</source>
      <translation>已保存:{result},总分 {total}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Score (0–100)</source>
      <translation>得分(0–100)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="219" />
      <source>Scored {n} of {m} indicators</source>
      <translation>已评 {n} / {m} 项指标</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="94" />
      <source>Scores read from the sales and payment records, the way the 100-point grading reads them; only empty scores are filled, change any of them</source>
      <translation>按百分制分级的读法从销售与回款记录得出的分数;只填入空白的分数,均可修改</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="214" />
      <source>The score of {name} is not a number.</source>
      <translation>“{name}”的得分不是数字。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="81" />
      <source>Total</source>
      <translation>合计得分</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="224" />
      <source>Total {total} of 100, grade {grade}</source>
      <translation>合计 {total} 分(标准分 100),等级 {grade}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="234" />
      <source>Type a date like 2026-11-25</source>
      <translation>请按 2026-11-25 的格式填写日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/evaluation_dialog.py" line="59" />
      <source>Weight</source>
      <translation>指标权重</translation>
    </message>
  </context>
  <context>
    <name>EventSetup</name>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="54" />
      <source>(no customer card)</source>
      <translation>(不关联客户卡片)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="66" />
      <source>(none)</source>
      <translation>(无户型)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="174" />
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="151" />
      <source>Approval chain</source>
      <translation>价格审批链</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Area m²</source>
      <translation>面积 m²</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="23" />
      <source>As read out by the notary, e.g. 07 23 41 18</source>
      <translation>按公证员宣读填写,例如 07 23 41 18</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="59" />
      <source>Audit flag</source>
      <translation>审计提示</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="112" />
      <source>Available flats (Ctrl/Shift to choose several)</source>
      <translation>可释放房源(按住 Ctrl/Shift 多选)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="99" />
      <source>Average price 均价 (yuan/m²)</source>
      <translation>均价(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="100" />
      <source>Base floor</source>
      <translation>基准楼层</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="56" />
      <source>Building</source>
      <translation>楼号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="46" />
      <source>Buyer list</source>
      <translation>购房者名单</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="128" />
      <source>Choose by</source>
      <translation>选房截止</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="39" />
      <source>Commissioning unit</source>
      <translation>委建房单位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="45" />
      <source>Commissioning units</source>
      <translation>委建房单位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="36" />
      <source>Create project</source>
      <translation>建立项目</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="66" />
      <source>Customer card</source>
      <translation>客户卡片</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="132" />
      <source>Deadlines for this unit</source>
      <translation>本单位截止时间</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="155" />
      <source>Deadlines saved</source>
      <translation>截止时间已保存</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="69" />
      <source>Deposit (yuan)</source>
      <translation>封户费(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="42" />
      <source>Developer company</source>
      <translation>开发公司</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="61" />
      <source>Differential (yuan/m²)</source>
      <translation>差价(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>Draw order</source>
      <translation>选房顺序号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="93" />
      <source>Draw result — {unit}</source>
      <translation>机选结果 — {unit}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="66" />
      <source>Drawn {at} by {by}, notary {notary}; seed “{seed}”, list hash {hash}.</source>
      <translation>{at} 由 {by} 机选,公证员 {notary};种子“{seed}”,名单摘要 {hash}。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="47" />
      <source>Eligible</source>
      <translation>通过</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="30" />
      <source>Event set-up</source>
      <translation>选房活动设置</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="89" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="55" />
      <source>Find</source>
      <translation>查找</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Flat</source>
      <translation>房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="56" />
      <source>Flats</source>
      <translation>套数</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Floor</source>
      <translation>楼层</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="179" />
      <source>Fully approved.</source>
      <translation>审批已完成。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="104" />
      <source>Ground-floor discount (yuan/m²)</source>
      <translation>首层优惠(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="68" />
      <source>Housing stock of the project</source>
      <translation>项目房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>ID number</source>
      <translation>身份证号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="89" />
      <source>Import buyer list</source>
      <translation>导入购房者名单</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="43" />
      <source>Import buyer list from Excel…</source>
      <translation>从 Excel 导入购房者名单…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="93" />
      <source>Import stock</source>
      <translation>导入房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="48" />
      <source>Import stock from Excel…</source>
      <translation>从 Excel 导入房源…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="96" />
      <source>Importing {file}…</source>
      <translation>正在导入 {file}…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="34" />
      <source>Letters, e.g. JY (starts document numbers)</source>
      <translation>字母,例如 JY(单据编号前缀)</translation>
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
      <translation>签批人姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="72" />
      <source>New commissioning unit</source>
      <translation>新建委建房单位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="45" />
      <source>New project</source>
      <translation>新建项目</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="181" />
      <source>Next: {role}</source>
      <translation>下一位:{role}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="209" />
      <source>No customer matches “{q}”.</source>
      <translation>没有与“{q}”相符的客户。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>No.</source>
      <translation>序号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="70" />
      <source>Not drawn yet. Every buyer on the list must be reviewed first.</source>
      <translation>尚未机选。名单上每位购房者须先完成资格审查。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="47" />
      <source>Not eligible</source>
      <translation>不通过</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="56" />
      <source>Not yet released</source>
      <translation>未释放</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="47" />
      <source>Notarised draw</source>
      <translation>公证机选</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="39" />
      <source>Notary</source>
      <translation>公证员</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="129" />
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="136" />
      <source>Note (optional)</source>
      <translation>备注(可不填)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="34" />
      <source>Order</source>
      <translation>顺序号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="74" />
      <source>Paper approval</source>
      <translation>纸面审批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="53" />
      <source>Part of the customer name</source>
      <translation>客户名称中的字</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="129" />
      <source>Pay by</source>
      <translation>交款截止</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/common.py" line="53" />
      <source>Please correct the marked fields.</source>
      <translation>请修改标红的栏目。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="118" />
      <source>Price list</source>
      <translation>价格表</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="108" />
      <source>Price rules</source>
      <translation>定价规则</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="177" />
      <source>Price the flats first.</source>
      <translation>请先定价。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="95" />
      <source>Price the released flats</source>
      <translation>为已释放房源定价</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="203" />
      <source>Priced; weighted average {average}. The approval chain starts again.</source>
      <translation>已定价,加权均价 {average}。价格审批需重新签批。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="46" />
      <source>Pricing and approval</source>
      <translation>定价与审批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="26" />
      <source>Print the result…</source>
      <translation>打印机选结果…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="53" />
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="36" />
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/dialog.py" line="45" />
      <source>Project and stock</source>
      <translation>项目与房源</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="40" />
      <source>Project code</source>
      <translation>项目代码</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="41" />
      <source>Project name</source>
      <translation>项目名称</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="89" />
      <source>Project {name} created.</source>
      <translation>项目 {name} 已建立。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="137" />
      <source>Record signature</source>
      <translation>登记签批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Recorded by</source>
      <translation>登记人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="183" />
      <source>Register a unit, then release flats to it.</source>
      <translation>先登记委建房单位,再释放房源。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="61" />
      <source>Register unit</source>
      <translation>登记单位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="97" />
      <source>Relationship flats, approved on paper:</source>
      <translation>关系房,纸面审批:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="100" />
      <source>Release the selected flats to this unit</source>
      <translation>将选中的房源释放给本单位</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="182" />
      <source>Released to {unit}: {n} flats</source>
      <translation>已释放给{unit}:{n} 套</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="58" />
      <source>Review</source>
      <translation>资格审查</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Role</source>
      <translation>职务</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="53" />
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="24" />
      <source>Run the draw</source>
      <translation>开始机选</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="124" />
      <source>Save deadlines</source>
      <translation>保存截止时间</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="128" />
      <source>Save the buyer-list template</source>
      <translation>保存购房者名单模板</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="45" />
      <source>Save the buyer-list template…</source>
      <translation>保存购房者名单模板…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="118" />
      <source>Save the stock template</source>
      <translation>保存房源表模板</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="50" />
      <source>Save the stock template…</source>
      <translation>保存房源表模板…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="38" />
      <source>Seed</source>
      <translation>种子</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="86" />
      <source>Select all shown</source>
      <translation>全选所列</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="67" />
      <source>Selected rows:</source>
      <translation>选中行:</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Signed at</source>
      <translation>签批时间</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Signed by</source>
      <translation>签批人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="128" />
      <source>Step</source>
      <translation>环节</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="101" />
      <source>Step per floor above it (yuan/m²)</source>
      <translation>基准层以上每层加价(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="132" />
      <source>Template saved: {file}</source>
      <translation>模板已保存:{file}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/common.py" line="66" />
      <source>The import failed and nothing was imported: {error}</source>
      <translation>导入失败,未导入任何行:{error}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="81" />
      <source>The selection order is drawn and stored.</source>
      <translation>选房顺序已机选并保存。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="102" />
      <source>Top floor</source>
      <translation>顶层</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="103" />
      <source>Top-floor discount (yuan/m²)</source>
      <translation>顶层优惠(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Total</source>
      <translation>总价</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Type</source>
      <translation>户型</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="65" />
      <source>Unit name</source>
      <translation>单位名称</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="61" />
      <source>Unit type</source>
      <translation>户型</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="226" />
      <source>Unit {name} registered.</source>
      <translation>委建房单位 {name} 已登记。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/draw_tab.py" line="28" />
      <source>Verify</source>
      <translation>核验机选</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="144" />
      <source>Write the time as 2026-12-05 18:00</source>
      <translation>请按 2026-12-05 18:00 的格式填写</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="110" />
      <source>Yuan/m²</source>
      <translation>单价(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="123" />
      <source>e.g. 2026-12-05 18:00, empty for none</source>
      <translation>例如 2026-12-05 18:00,不设截止则留空</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="99" />
      <source>e.g. 总经理办公会纪要 2026-11 第3号</source>
      <translation>例如 总经理办公会纪要 2026-11 第3号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="57" />
      <source>eligible</source>
      <translation>通过</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="91" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="57" />
      <source>not eligible</source>
      <translation>不通过</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="57" />
      <source>pending</source>
      <translation>待审查</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="215" />
      <source>{name} signed as {role}.</source>
      <translation>{name} 已作为{role}签批。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="105" />
      <source>{n} buyers imported; {f} flagged for audit (orange).</source>
      <translation>已导入 {n} 位购房者,其中 {f} 位需审计关注(橙色)。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/stock_tab.py" line="108" />
      <source>{n} flats imported.</source>
      <translation>已导入 {n} 套房源。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/unit_tab.py" line="243" />
      <source>{n} flats released to {unit}.</source>
      <translation>已释放 {n} 套房源给{unit}。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="123" />
      <source>{n} marked eligible.</source>
      <translation>{n} 人资格审查通过。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="123" />
      <source>{n} marked not eligible.</source>
      <translation>{n} 人资格审查不通过。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/buyers_tab.py" line="83" />
      <source>{n} on the list · {ok} eligible · {no} not eligible · {todo} pending · {flag} flagged for audit</source>
      <translation>名单 {n} 人 · 通过 {ok} · 不通过 {no} · 待审查 {todo} · 审计关注 {flag}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/setup/pricing_tab.py" line="166" />
      <source>均价 approved: {approved}    weighted average of the list: {average}</source>
      <translation>审批均价:{approved}    价格表加权均价:{average}</translation>
    </message>
  </context>
  <context>
    <name>GradingResults</name>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Change</source>
      <translation>变化</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Code</source>
      <translation>客户代码</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Computed</source>
      <translation>计算等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Industry</source>
      <translation>业种</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Override reason</source>
      <translation>调整原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Previous</source>
      <translation>上次等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="20" />
      <source>Rank</source>
      <translation>名次</translation>
    </message>
    <message>
      <location filename="../../ui/grading/results_model.py" line="21" />
      <source>Sales</source>
      <translation>销售额</translation>
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
      <translation>(客户等级)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="249" />
      <source>({n} without sales keep their grade on commit)</source>
      <translation>(其中 {n} 户无销售,确认时保留原等级)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="70" />
      <source>Advancement</source>
      <translation>客户进阶</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>All changes</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="153" />
      <source>Choose a scheme and a year, then run the grading.</source>
      <translation>请选择分级方案和年度,然后计算分级。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="112" />
      <source>Commit</source>
      <translation>确认分级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="337" />
      <source>Commit grading</source>
      <translation>确认分级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="343" />
      <source>Commit the {year} grading by {scheme}? A committed grading is kept as it is and cannot be changed.</source>
      <translation>确认{year}年度“{scheme}”的分级吗?确认后的分级将原样保存,不能再修改。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="355" />
      <source>Committed; {n} customer cards changed grade.</source>
      <translation>已确认;{n} 个客户卡片的等级随之变更。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="268" />
      <source>Credit grades: last committed {last}, next re-check due {due}.</source>
      <translation>信用等级:上次确认 {last},下次复核到期 {due}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="266" />
      <source>Credit grades: never committed — run and commit the credit scheme.</source>
      <translation>信用等级:尚未确认过——请计算并确认信用等级方案。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>Down</source>
      <translation>降级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="379" />
      <source>Export grading</source>
      <translation>导出客户分级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="114" />
      <source>Export to Excel…</source>
      <translation>导出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="390" />
      <source>Exported {n} rows to {file}.</source>
      <translation>已导出 {n} 行到 {file}。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="65" />
      <source>Grading runs</source>
      <translation>分级计算</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="396" />
      <source>Grading table PDF</source>
      <translation>客户分级表 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="300" />
      <source>Grading…</source>
      <translation>正在计算分级…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="75" />
      <source>Key customers and evaluation</source>
      <translation>重点客户与关系评估</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="110" />
      <source>Override…</source>
      <translation>调整等级…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="83" />
      <source>Payment-term drops</source>
      <translation>付款条件降级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="116" />
      <source>Print grading table…</source>
      <translation>打印客户分级表…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="105" />
      <source>Run grading</source>
      <translation>计算分级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="80" />
      <source>Sales and payments</source>
      <translation>销售与回款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="124" />
      <source>Scheme</source>
      <translation>分级方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="118" />
      <source>Schemes…</source>
      <translation>方案…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="326" />
      <source>Select a customer in the table first.</source>
      <translation>请先在表中选择一个客户。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="126" />
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="145" />
      <source>Snapshots (newest first)</source>
      <translation>分级记录(最新在前)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="44" />
      <source>Unchanged</source>
      <translation>不变</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="43" />
      <source>Up</source>
      <translation>升级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="124" />
      <source>Year</source>
      <translation>年度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="251" />
      <source>committed</source>
      <translation>已确认</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="198" />
      <source>draft</source>
      <translation>草稿</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="251" />
      <source>draft — not yet committed</source>
      <translation>草稿(尚未确认)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="242" />
      <source>ungraded (no sales) {n}</source>
      <translation>未分级(无销售){n}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="364" />
      <source>{customer}: advancement {number} approved on {day} — keeps grade {grade} this year (computed {computed}).</source>
      <translation>{customer}:进阶申请{number}已于{day}批准——本年度保留{grade}级(计算结果{computed})。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="371" />
      <source>{n} customers without sales in the year keep the grade on their card (marked "no sales"); override a row first to grade it.</source>
      <translation>{n} 户客户本年度无销售,保留卡片上的原等级(标注“无销售”);如要定级,请先逐户调整。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="252" />
      <source>{year} · {scheme} · {state} · {count} customers · {grades} · {changes}</source>
      <translation>{year}年度 · {scheme} · {state} · 共 {count} 户 · {grades} · {changes}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tab.py" line="369" />
      <source>… and {n} more advancements.</source>
      <translation>……另有 {n} 份进阶申请。</translation>
    </message>
  </context>
  <context>
    <name>GradingTablesPanel</name>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="40" />
      <source>Actions to reach the target</source>
      <translation>实现目标的行动措施</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="188" />
      <source>Add customer</source>
      <translation>添加客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="108" />
      <source>Add selected to key customers</source>
      <translation>将所选客户列为重点客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="214" />
      <source>Basic policy for more important customers</source>
      <translation>扩大重要客户数量的基本方针</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="41" />
      <source>Chairman's opinion</source>
      <translation>董事长意见</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="44" />
      <source>Countermeasures</source>
      <translation>应对策略</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="43" />
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="356" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="355" />
      <source>Export Excel</source>
      <translation>导出 Excel</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="287" />
      <source>Export Excel…</source>
      <translation>导出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="96" />
      <source>Growth</source>
      <translation>增长率</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="300" />
      <source>Important customers (重要客户对策表)</source>
      <translation>重要客户对策表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="38" />
      <source>Key customer</source>
      <translation>重点管理客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="299" />
      <source>Key customers (重点客户管理表)</source>
      <translation>重点客户管理表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="124" />
      <source>Key customers of the year (double-click a cell to edit)</source>
      <translation>本年度重点管理客户(双击单元格修改)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="46" />
      <source>Location</source>
      <translation>所在位置</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="97" />
      <source>Margin</source>
      <translation>利润率</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="40" />
      <source>Marketing GM's suggestion</source>
      <translation>营销中心总经理建议</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="217" />
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="205" />
      <source>Period</source>
      <translation>期间</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="289" />
      <source>Print…</source>
      <translation>打印…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="301" />
      <source>Problem customers (问题客户对策表)</source>
      <translation>问题客户对策表</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="283" />
      <source>Relationship evaluation…</source>
      <translation>客户关系评估…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="111" />
      <source>Remove from key customers</source>
      <translation>移出重点客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="191" />
      <source>Remove row</source>
      <translation>删除该行</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="43" />
      <source>Responsible</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="95" />
      <source>Sales (yuan)</source>
      <translation>销售额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="45" />
      <source>Sales scope</source>
      <translation>销售范围</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="43" />
      <source>Sales situation</source>
      <translation>销售情况</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="39" />
      <source>Sales target (yuan)</source>
      <translation>销售额目标(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="38" />
      <source>Sales this year (yuan)</source>
      <translation>本年销售额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="201" />
      <source>Save notes</source>
      <translation>保存备注</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="161" />
      <source>Select a customer in one of the lists first.</source>
      <translation>请先在排名中选择一个客户。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="47" />
      <source>Symptoms</source>
      <translation>问题表现</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="97" />
      <source>Top {n} by profit margin</source>
      <translation>销售利润率前{n}名</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="95" />
      <source>Top {n} by sales</source>
      <translation>销售额前{n}名</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="96" />
      <source>Top {n} by sales growth</source>
      <translation>销售增长率前{n}名</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="46" />
      <source>Trend of deterioration</source>
      <translation>恶化趋势</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="44" />
      <source>Where the problem is</source>
      <translation>问题所在</translation>
    </message>
    <message>
      <location filename="../../ui/grading/tables_panel.py" line="39" />
      <source>Why a key customer</source>
      <translation>将其设为重点客户的原因</translation>
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
      <translation>字段</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>New value</source>
      <translation>新值</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="22" />
      <source>No changes recorded yet: every change to the card, its key persons and its archive will be listed here.</source>
      <translation>还没有修改记录:客户卡片、关键人和档案的每次修改都会列在这里。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Old value</source>
      <translation>原值</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Record</source>
      <translation>对象</translation>
    </message>
    <message>
      <location filename="../../ui/customers/history_view.py" line="11" />
      <source>Time</source>
      <translation>时间</translation>
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
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="142" />
      <source>Import cancelled. Nothing was written.</source>
      <translation>导入已取消,未写入任何数据。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="20" />
      <source>Import customers — {name}</source>
      <translation>导入客户 — {name}</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="48" />
      <source>Import nothing if any row has an error (recommended)</source>
      <translation>任一行有错误则全部不导入(推荐)</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="49" />
      <source>Import the valid rows; report the others</source>
      <translation>只导入有效行,其余行列入错误报告</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="37" />
      <source>Imported {ok} customers; {bad} rows with errors were not imported.</source>
      <translation>已导入 {ok} 个客户;{bad} 行有错误,未导入。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/import_dialog.py" line="34" />
      <source>Nothing imported: {bad} of {total} rows have errors. Open the error report, correct the rows and import the file again.</source>
      <translation>未导入任何数据:共 {total} 行,其中 {bad} 行有错误。请打开错误报告,更正后重新导入该文件。</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="62" />
      <source>Open error report</source>
      <translation>打开错误报告</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="44" />
      <source>Reading the workbook…</source>
      <translation>正在读取工作簿…</translation>
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
      <translation>保存错误报告</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="63" />
      <source>Save error report as…</source>
      <translation>错误报告另存为…</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="114" />
      <source>Sheet “{sheet}”: </source>
      <translation>工作表“{sheet}”:</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="59" />
      <source>Start import</source>
      <translation>开始导入</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="103" />
      <source>ignored</source>
      <translation>已忽略</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="112" />
      <source>{n} data rows; the first {k} are shown.</source>
      <translation>共 {n} 行数据,显示前 {k} 行。</translation>
    </message>
    <message>
      <location filename="../../ui/workbook_import.py" line="147" />
      <source>… and {n} more</source>
      <translation>……另有 {n} 条</translation>
    </message>
  </context>
  <context>
    <name>InquiriesPanel</name>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="70" />
      <source>(not a customer on file)</source>
      <translation>(非在册客户)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="97" />
      <source>Answer</source>
      <translation>答复内容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Answer due</source>
      <translation>答复期限</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="90" />
      <source>Answer {number}</source>
      <translation>答复 {number}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="33" />
      <source>Answered</source>
      <translation>答复时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="117" />
      <source>Answer…</source>
      <translation>答复…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="156" />
      <source>Choose an inquiry in the list first.</source>
      <translation>请先在列表中选择一条询价。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="63" />
      <source>Contact</source>
      <translation>联系方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="63" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Customer / inquirer</source>
      <translation>客户/询价人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="65" />
      <source>Details</source>
      <translation>详细内容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="62" />
      <source>Find customer</source>
      <translation>查找客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="63" />
      <source>Inquirer</source>
      <translation>询价人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="33" />
      <source>Overdue</source>
      <translation>超时</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Received</source>
      <translation>收到时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="64" />
      <source>Received at</source>
      <translation>收到时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="46" />
      <source>Record an inquiry</source>
      <translation>登记客户询价</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="117" />
      <source>Record…</source>
      <translation>登记询价…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="32" />
      <source>Subject</source>
      <translation>摘要</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="159" />
      <source>This inquiry has been answered.</source>
      <translation>该询价已经答复。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="59" />
      <source>Type a name, pinyin or phone to find the customer</source>
      <translation>输入名称、拼音或电话查找客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="115" />
      <source>Unanswered only</source>
      <translation>只看未答复</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="143" />
      <source>{h} h</source>
      <translation>{h} 小时</translation>
    </message>
    <message>
      <location filename="../../ui/visits/inquiries_panel.py" line="144" />
      <source>{n} inquiries · {a} answered · {k} overdue ({w} still unanswered) · answered in time {rate} · mean answer {hours}</source>
      <translation>共 {n} 条询价 · 已答复 {a} 条 · 超时 {k} 条(其中 {w} 条仍未答复)· 按时答复率 {rate} · 平均答复时间 {hours}</translation>
    </message>
  </context>
  <context>
    <name>KeyPersonsPanel</name>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="271" />
      <source>Add at least two key persons first</source>
      <translation>请先添加至少两名关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="116" />
      <source>Add relation</source>
      <translation>添加关系</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="41" />
      <source>Address</source>
      <translation>住址</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Age</source>
      <translation>年龄</translation>
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
      <translation>邮箱</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="41" />
      <source>Education</source>
      <translation>学历</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="42" />
      <source>Family</source>
      <translation>家庭</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="42" />
      <source>Hobbies</source>
      <translation>爱好</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="43" />
      <source>ID number</source>
      <translation>身份证号</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Key person</source>
      <translation>重点关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="88" />
      <source>Key person card (重点客户卡片)</source>
      <translation>重点关键人(建立重点客户卡片)</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="254" />
      <source>Key persons</source>
      <translation>关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="198" />
      <source>Key-customer card</source>
      <translation>重点客户卡片</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="97" />
      <source>Key-customer card (PDF)…</source>
      <translation>重点客户卡片(PDF)…</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Mobile</source>
      <translation>手机</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="90" />
      <source>New person</source>
      <translation>新增关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="62" />
      <source>No key persons yet: fill in the form below and click “Save person”.</source>
      <translation>还没有关键人:请填写下方表单,然后点击“保存关键人”。</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="43" />
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="42" />
      <source>Personality</source>
      <translation>性格</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="39" />
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Position</source>
      <translation>职位</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="128" />
      <source>Relations between key persons</source>
      <translation>关键人物关系表</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="92" />
      <source>Remove person</source>
      <translation>删除关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="255" />
      <source>Remove {name} from this customer's key persons?</source>
      <translation>确定将 {name} 从该客户的关键人中删除吗?</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="45" />
      <source>Role</source>
      <translation>决策作用</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="40" />
      <source>Role in the decision</source>
      <translation>决策作用</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="91" />
      <source>Save person</source>
      <translation>保存关键人</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="40" />
      <source>WeChat</source>
      <translation>微信</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="38" />
      <source>Work unit</source>
      <translation>工作单位</translation>
    </message>
    <message>
      <location filename="../../ui/customers/key_persons_panel.py" line="112" />
      <source>e.g. 上下级, 同学, 亲属</source>
      <translation>如:上下级、同学、亲属</translation>
    </message>
  </context>
  <context>
    <name>LaptopLogin</name>
    <message>
      <location filename="../../ui/sync/laptop_login.py" line="22" />
      <source>KeDesk — log in on this laptop</source>
      <translation>客台 — 离线登录(本机副本)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/laptop_login.py" line="20" />
      <source>Offline replica: {path}</source>
      <translation>离线副本:{path}</translation>
    </message>
  </context>
  <context>
    <name>LedgerDialog</name>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Amount</source>
      <translation>金额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="51" />
      <source>Area</source>
      <translation>面积(m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="105" />
      <source>Balance on the bank statement (yuan), Enter</source>
      <translation>银行对账单余额(元),回车登记</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="180" />
      <source>Bank balance {balance}; received up to this day {received} (cash {cash}); difference {diff}. {why}</source>
      <translation>银行余额 {balance};截至当日收款合计 {received}(其中现金 {cash});差额 {diff}。{why}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Buyer</source>
      <translation>购房人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Cancels</source>
      <translation>冲销原单</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="52" />
      <source>Certificate</source>
      <translation>选房凭证号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="157" />
      <source>Choose by {choose}; pay by {pay}</source>
      <translation>选房截止:{choose};交款截止:{pay}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="75" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="65" />
      <source>Daily reconciliation</source>
      <translation>每日对账</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="95" />
      <source>Day</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Detail</source>
      <translation>说明</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="101" />
      <source>Differences</source>
      <translation>差异</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Document</source>
      <translation>单据</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Due</source>
      <translation>应收(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="196" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="197" />
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="72" />
      <source>Export to Excel…</source>
      <translation>导出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="72" />
      <source>Export to PDF…</source>
      <translation>导出 PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="217" />
      <source>Exported the reconciliation to {path}</source>
      <translation>已导出共管账户对账表:{path}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="207" />
      <source>Exported {n} rows to {path}</source>
      <translation>已导出 {n} 行到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Flat</source>
      <translation>房号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Gap</source>
      <translation>差额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="51" />
      <source>ID number</source>
      <translation>身份证号码</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Issued</source>
      <translation>开具时间</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="47" />
      <source>Issued by</source>
      <translation>开具人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="111" />
      <source>Joint account balance at the end of the day</source>
      <translation>当日日终共管账户余额</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Late for</source>
      <translation>逾期事项</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="66" />
      <source>Late list</source>
      <translation>逾期名单</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="63" />
      <source>Ledger</source>
      <translation>台帐</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="44" />
      <source>Ledgers and reports</source>
      <translation>选房台帐与报表</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="180" />
      <source>No bank balance recorded for this day yet.</source>
      <translation>当日尚未登记共管账户余额。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="57" />
      <source>Note</source>
      <translation>说明</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="46" />
      <source>Number</source>
      <translation>单号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="51" />
      <source>Order</source>
      <translation>顺序号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="196" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
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
      <translation>单价(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="115" />
      <source>Receipts</source>
      <translation>笔数</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="56" />
      <source>Received</source>
      <translation>实收(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="171" />
      <source>Received {received} (by method: {methods}; by purpose: {purposes}). Due on the day's tickets {due}, house payments against them {house}.</source>
      <translation>当日实收 {received} 元(按付款方式:{methods};按事由:{purposes})。当日开票应收 {due} 元,对应房款实收 {house} 元。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="60" />
      <source>Reference</source>
      <translation>序号/单号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="68" />
      <source>Relationship flats</source>
      <translation>关系房</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="115" />
      <source>Running total</source>
      <translation>累计</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="64" />
      <source>Selection list</source>
      <translation>选房明细表</translation>
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
      <translation>选房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="52" />
      <source>Total</source>
      <translation>总价(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/ledger_dialog.py" line="158" />
      <source>not set</source>
      <translation>未设置</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../../ui/login_dialog.py" line="77" />
      <source>Choose a new password</source>
      <translation>设置新密码</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="92" />
      <source>Choose a password different from the temporary one</source>
      <translation>新密码不能与临时密码相同</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="120" />
      <source>Full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="23" />
      <source>KeDesk — log in</source>
      <translation>客台 — 登录</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="42" />
      <source>Log in</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="82" />
      <source>New password</source>
      <translation>新密码</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="34" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="83" />
      <source>Password again</source>
      <translation>确认密码</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="57" />
      <source>The administrator reset your password: choose a new one to log in.</source>
      <translation>管理员已重置您的密码:请设置新密码后登录。</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="81" />
      <source>The administrator set a temporary password. Choose your own.</source>
      <translation>管理员为您设置了临时密码,请设置您自己的密码。</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="89" />
      <source>The two passwords differ</source>
      <translation>两次输入的密码不一致</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="117" />
      <source>This database has no users yet. Create the administrator account; the administrator then creates the other users.</source>
      <translation>这个数据库还没有用户。请先创建管理员账号,再由管理员创建其他用户。</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="33" />
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="111" />
      <source>Welcome to KeDesk</source>
      <translation>欢迎使用客台</translation>
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
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="100" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="101" />
      <source>About KeDesk</source>
      <translation>关于客台</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="81" />
      <source>Backup and restore…</source>
      <translation>备份与恢复…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="84" />
      <source>Borrow archives…</source>
      <translation>档案借阅…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="91" />
      <source>Business rules…</source>
      <translation>业务规则…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="89" />
      <source>Card updates due (24 hours)…</source>
      <translation>待录入的资料变更(24小时)…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="28" />
      <source>Customer cards</source>
      <translation>客户关系卡</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="33" />
      <source>Customer grading</source>
      <translation>客户分级</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="76" />
      <source>Export current list to Excel…</source>
      <translation>导出当前列表到 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="87" />
      <source>Find duplicate customers…</source>
      <translation>查找重复客户…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="85" />
      <source>Hand over a leaving rep's customers…</source>
      <translation>员工调离移交…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="39" />
      <source>House selection</source>
      <translation>选房票务</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="74" />
      <source>Import customers from Excel…</source>
      <translation>从 Excel 导入客户…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="24" />
      <source>KeDesk</source>
      <translation>客台</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="109" />
      <source>KeDesk {version}: customer archives, grading, visits and the house-selection desk.</source>
      <translation>客台 {version}:客户档案、客户分级、拜访管理与选房票务。</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="71" />
      <source>New customer</source>
      <translation>新建客户</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="44" />
      <source>Operator: {name}   Database: {kind}</source>
      <translation>操作员:{name}   数据库:{kind}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="78" />
      <source>Print customer card (PDF)…</source>
      <translation>打印客户档案(PDF)…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="82" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="95" />
      <source>Read log…</source>
      <translation>借阅记录…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="72" />
      <source>Save card</source>
      <translation>保存客户关系卡</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="96" />
      <source>Settings…</source>
      <translation>设置…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="94" />
      <source>Users and roles…</source>
      <translation>用户与角色…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="36" />
      <source>Visit calendar</source>
      <translation>拜访日历</translation>
    </message>
  </context>
  <context>
    <name>MealDialog</name>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="119" />
      <source>Bill total (yuan)</source>
      <translation>账单金额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="65" />
      <source>Customer kind</source>
      <translation>客户类别</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="64" />
      <source>Customer unit</source>
      <translation>招待客户单位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="71" />
      <source>Guests</source>
      <translation>客人人数</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="33" />
      <source>Hospitality meal request</source>
      <translation>招待用餐申请</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="66" />
      <source>Hosted by</source>
      <translation>出面接待</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="72" />
      <source>Hosts (ours)</source>
      <translation>陪同人数</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="67" />
      <source>Meal type</source>
      <translation>用餐方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="120" />
      <source>Of which drinks and fruit (yuan)</source>
      <translation>其中酒水饮料水果(元)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="74" />
      <source>Purpose</source>
      <translation>事由</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="115" />
      <source>Record the bill</source>
      <translation>登记账单</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="73" />
      <source>Restaurant</source>
      <translation>餐厅名称</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="70" />
      <source>Standard (yuan/person)</source>
      <translation>用餐标准(元/人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="88" />
      <source>Standard: {std}</source>
      <translation>规定标准:{std}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="69" />
      <source>Time</source>
      <translation>用餐时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="57" />
      <source>Urgent: approved verbally, paperwork follows</source>
      <translation>紧急情况:已口头请示同意,事后补办手续</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="76" />
      <source>Verbally approved by</source>
      <translation>口头同意人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="61" />
      <source>Who agreed by word of mouth</source>
      <translation>口头同意的领导姓名</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meal_dialog.py" line="117" />
      <source>drinks, beverages and fruit</source>
      <translation>酒水、饮料、水果</translation>
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
      <translation>超标准审批</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="55" />
      <source>Approve excess…</source>
      <translation>超标准审批…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="34" />
      <source>Bill</source>
      <translation>账单</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="105" />
      <source>Choose a meal in the list first.</source>
      <translation>请先在列表中选择一次用餐。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Customer unit</source>
      <translation>招待客户单位</translation>
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
      <translation>月底结算</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="51" />
      <source>New request…</source>
      <translation>用餐申请…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="114" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="54" />
      <source>Record bill…</source>
      <translation>登记账单…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="84" />
      <source>Reimbursed</source>
      <translation>予以报销</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="34" />
      <source>Reimbursement</source>
      <translation>报销</translation>
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
      <translation>餐厅</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="56" />
      <source>Settlement (Excel)…</source>
      <translation>结算表(Excel)…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="57" />
      <source>Settlement (PDF)…</source>
      <translation>结算表(PDF)…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Standard</source>
      <translation>标准(元/人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="34" />
      <source>Status</source>
      <translation>审批状态</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Time</source>
      <translation>用餐时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="33" />
      <source>Type</source>
      <translation>方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="132" />
      <source>Why the bill may exceed the standard (required)</source>
      <translation>超标准的原因与批准意见(必填)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="95" />
      <source>{n} meals this month, {k} not reimbursed</source>
      <translation>本月 {n} 次用餐,{k} 次不予报销</translation>
    </message>
    <message>
      <location filename="../../ui/visits/meals_panel.py" line="162" />
      <source>{n} meals written to {path}</source>
      <translation>已导出 {n} 次用餐到 {path}</translation>
    </message>
  </context>
  <context>
    <name>OverrideDialog</name>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="31" />
      <source>New grade</source>
      <translation>调整为</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="21" />
      <source>Override grade</source>
      <translation>调整客户等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="32" />
      <source>Reason</source>
      <translation>调整原因</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="29" />
      <source>Why the computed grade does not fit (required)</source>
      <translation>说明计算结果为何不适用(必填)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/override_dialog.py" line="23" />
      <source>{name} ({code}): computed grade {grade}</source>
      <translation>{name}({code}):计算等级 {grade}</translation>
    </message>
  </context>
  <context>
    <name>PassedDialog</name>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="33" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="51" />
      <source>No. {order}  {name}  (called at {desk})</source>
      <translation>{order} 号  {name}(原叫至 {desk})</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="61" />
      <source>Nobody is on the passed list</source>
      <translation>过号名单为空</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="28" />
      <source>Passed list (called but absent)</source>
      <translation>过号名单(已叫号未到)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="33" />
      <source>Re-call to this desk (Enter)</source>
      <translation>重新叫到本台(回车)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/passed_dialog.py" line="41" />
      <source>Select a buyer who has come back and re-call them:</source>
      <translation>选择已回到现场的购房者,重新叫号:</translation>
    </message>
  </context>
  <context>
    <name>PdfPreview</name>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="77" />
      <source> — the paper is {cut} mm too short for this document</source>
      <translation>——纸张比本单据短 {cut} mm</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="48" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="72" />
      <source>Not printed: {reason}</source>
      <translation>未打印:{reason}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="48" />
      <source>Print</source>
      <translation>打印</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="74" />
      <source>Printed {pages} pages to {printer}</source>
      <translation>已打印 {pages} 页到 {printer}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="81" />
      <source>Save PDF</source>
      <translation>保存 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="48" />
      <source>Save PDF…</source>
      <translation>保存 PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="41" />
      <source>The system's default printer</source>
      <translation>系统默认打印机</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="74" />
      <source>the default printer</source>
      <translation>默认打印机</translation>
    </message>
    <message>
      <location filename="../../ui/selection/pdf_preview.py" line="39" />
      <source>{n} pages</source>
      <translation>共 {n} 页</translation>
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
      <translation>修改时间</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="26" />
      <source>Changes waiting to be synced</source>
      <translation>待同步的修改</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="29" />
      <source>New value</source>
      <translation>新值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="60" />
      <source>Nothing waiting: every change made on this laptop has reached the central database.</source>
      <translation>没有待同步的修改:本机的修改都已到达中心数据库。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="29" />
      <source>Old value</source>
      <translation>原值</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="28" />
      <source>Record</source>
      <translation>记录</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="35" />
      <source>Sync now</source>
      <translation>立即同步</translation>
    </message>
    <message>
      <location filename="../../ui/sync/pending_dialog.py" line="59" />
      <source>{n} changes waiting for the next sync</source>
      <translation>{n} 项修改等待下次同步</translation>
    </message>
  </context>
  <context>
    <name>PrintSettings</name>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="66" />
      <source>A4 sheets</source>
      <translation>A4 单张纸</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="66" />
      <source>A5 sheets</source>
      <translation>A5 单张纸</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="64" />
      <source>Continuous form 241 mm × 1/2 of 11 in (241-2)</source>
      <translation>连续打印纸 241 mm × 11 英寸二等分(241-2)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="65" />
      <source>Continuous form 241 mm × 1/3 of 11 in (241-3)</source>
      <translation>连续打印纸 241 mm × 11 英寸三等分(241-3)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="87" />
      <source>Desk name</source>
      <translation>台号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="93" />
      <source>Move down by</source>
      <translation>向下移动</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="92" />
      <source>Move right by</source>
      <translation>向右移动</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="119" />
      <source>Not printed: {reason}</source>
      <translation>未打印:{reason}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="90" />
      <source>Paper in the printer</source>
      <translation>打印机中的纸张</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="53" />
      <source>Plain paper: every copy printed in full</source>
      <translation>白纸打印:每一联完整打印</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="54" />
      <source>Pre-printed multi-part forms (overlay): values only</source>
      <translation>套打(预印多联单):只打印数据</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="80" />
      <source>Preview a test slip…</source>
      <translation>预览测试单…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="78" />
      <source>Print a ruler slip</source>
      <translation>打印校准尺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="91" />
      <source>Print as</source>
      <translation>打印方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="82" />
      <source>Print the ruler slip, measure the red cross's centre from the paper's left and top edges (x, y), then move right by {cx} − x and down by {cy} − y more.</source>
      <translation>打印校准尺,量出红色十字中心距纸左边 x、距纸上边 y,再在现有偏移上向右加 {cx} − x、向下加 {cy} − y。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="88" />
      <source>Printer</source>
      <translation>打印机</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="49" />
      <source>Printing at this desk</source>
      <translation>本台打印设置</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="117" />
      <source>Ruler slip</source>
      <translation>校准尺</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="121" />
      <source>Ruler slip sent to {printer}. Measure the red cross's centre from the paper's left and top edges (x, y): move right by {cx} − x and down by {cy} − y more.</source>
      <translation>校准尺已发送到 {printer}。量出红色十字中心距纸左边 x、距纸上边 y:在现有偏移上向右加 {cx} − x、向下加 {cy} − y。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="70" />
      <source>Show the print preview before printing</source>
      <translation>打印前先显示打印预览</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="135" />
      <source>Test slip</source>
      <translation>测试单</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="57" />
      <source>The system's default printer</source>
      <translation>系统默认打印机</translation>
    </message>
    <message>
      <location filename="../../ui/selection/print_settings.py" line="123" />
      <source>the default printer</source>
      <translation>默认打印机</translation>
    </message>
  </context>
  <context>
    <name>QueuePanel</name>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="27" />
      <source>Just called</source>
      <translation>刚叫到</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="27" />
      <source>Next</source>
      <translation>下一批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="28" />
      <source>Passed list (absent)</source>
      <translation>过号名单(未到)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="22" />
      <source>Queue</source>
      <translation>叫号队列</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="16" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../ui/selection/queue_panel.py" line="45" />
      <source>{n} still waiting to be called</source>
      <translation>还有 {n} 人等待叫号</translation>
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
      <translation>客户</translation>
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
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="114" />
      <source>Export read log</source>
      <translation>导出借阅记录</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="50" />
      <source>Export to Excel…</source>
      <translation>导出到 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="128" />
      <source>Exported {n} entries to {path}</source>
      <translation>已导出 {n} 条记录到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="62" />
      <source>From</source>
      <translation>起始日期</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>Level</source>
      <translation>保密级别</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="56" />
      <source>Note</source>
      <translation>说明</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="45" />
      <source>Open</source>
      <translation>查阅</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="43" />
      <source>Part of the customer name</source>
      <translation>客户名称的一部分</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="44" />
      <source>Permitted</source>
      <translation>允许</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="45" />
      <source>Print</source>
      <translation>打印</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="35" />
      <source>Read log</source>
      <translation>借阅记录</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="44" />
      <source>Refused</source>
      <translation>拒绝</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="66" />
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="47" />
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="63" />
      <source>To</source>
      <translation>截止日期</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="88" />
      <source>Type a date like 2026-11-25</source>
      <translation>请按 2026-11-25 的格式填写日期</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="64" />
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="55" />
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="41" />
      <source>User name or name</source>
      <translation>用户名或姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/read_log_dialog.py" line="106" />
      <source>{n} entries</source>
      <translation>共 {n} 条</translation>
    </message>
  </context>
  <context>
    <name>RelationshipPanel</name>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>Action</source>
      <translation>处理</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="149" />
      <source>Approval</source>
      <translation>审批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="76" />
      <source>Approval number</source>
      <translation>审批文号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="206" />
      <source>Approval recorded; the flat is sold at the approved price and ratio.</source>
      <translation>审批已登记:该房源按审批均价和交款比例销售。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="78" />
      <source>Approved average price</source>
      <translation>审批均价(元/m²)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="76" />
      <source>Approved by</source>
      <translation>审批方式</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Approved price</source>
      <translation>审批均价</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="217" />
      <source>Approver</source>
      <translation>审批人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>Beneficiary</source>
      <translation>受益人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="75" />
      <source>Buyer (beneficiary)</source>
      <translation>购房人(关系户)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="84" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="234" />
      <source>Choose a late payer in the list first.</source>
      <translation>请先在清单中选择一位逾期付款的关系户。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="212" />
      <source>Choose a phone approval in the list first.</source>
      <translation>请先在清单中选择一项电话审批。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="250" />
      <source>Excel workbooks (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="250" />
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="162" />
      <source>Export to Excel…</source>
      <translation>导出 Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="261" />
      <source>Exported {n} rows to {path}</source>
      <translation>已导出 {n} 行到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>First payment due</source>
      <translation>应交首付(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="75" />
      <source>Flat</source>
      <translation>房号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>GM who phoned</source>
      <translation>来电审批人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="101" />
      <source>General manager who phoned</source>
      <translation>来电审批的总经理</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="62" />
      <source>General manager's phone approval</source>
      <translation>总经理电话审批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>Handler</source>
      <translation>经办人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="77" />
      <source>Handler who took the call</source>
      <translation>接电话的经办人</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="171" />
      <source>Late payers: new price policy</source>
      <translation>逾期付款:转新价格政策</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="160" />
      <source>Move to the new price policy</source>
      <translation>转新价格政策</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="245" />
      <source>New ticket {number}.</source>
      <translation>新票 {number}。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="80" />
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>Paid</source>
      <translation>已交(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="61" />
      <source>Paper approval</source>
      <translation>书面审批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="214" />
      <source>Paper approval number</source>
      <translation>书面审批文号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Paperwork due</source>
      <translation>补办期限</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="228" />
      <source>Paperwork of {flat} recorded.</source>
      <translation>{flat} 的书面手续已补办。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="214" />
      <source>Paperwork received</source>
      <translation>补办书面手续</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="158" />
      <source>Paperwork received…</source>
      <translation>补办书面手续…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="167" />
      <source>Paperwork to complete</source>
      <translation>待补办书面手续</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="172" />
      <source>Past the approved deadline without the approved first payment: the approval lapses and the flat is sold at the normal price list.</source>
      <translation>超过审批交款期限仍未按审批比例交款:审批失效,该房源按正常价目表销售。</translation>
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
      <translation>电话审批须在业务规则规定的工作日内补齐书面审批;逾期未补办的经办人不再发放房源。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="142" />
      <source>Phoned at</source>
      <translation>来电时间</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Ratio</source>
      <translation>交款比例</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="84" />
      <source>Record</source>
      <translation>登记</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="55" />
      <source>Record a relationship-flat approval</source>
      <translation>登记关系房审批</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="156" />
      <source>Record approval…</source>
      <translation>登记关系房审批…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="143" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="150" />
      <source>Ticket</source>
      <translation>选房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="58" />
      <source>list price {price}</source>
      <translation>价目表 {price}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/relationship_panel.py" line="152" />
      <source>no ticket</source>
      <translation>未开票</translation>
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
      <translation>{flat} 已转回正常价目表。</translation>
    </message>
  </context>
  <context>
    <name>RenameDialog</name>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="31" />
      <source>Market price of the flat (yuan)</source>
      <translation>同类房源市场价总额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="29" />
      <source>New buyer's ID number</source>
      <translation>新购房人身份证号</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="30" />
      <source>New buyer's name</source>
      <translation>新购房人姓名</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="27" />
      <source>Only for a person outside the list</source>
      <translation>仅名单外人员受让时填写</translation>
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
      <translation>计算更名费</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="54" />
      <source>Type the amount in yuan, e.g. 650000</source>
      <translation>请填写金额(元),例如 650000</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="75" />
      <source>between names on the list, free</source>
      <translation>名单内更名,免收更名费</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="75" />
      <source>outside the list</source>
      <translation>名单外受让</translation>
    </message>
    <message>
      <location filename="../../ui/selection/rename_dialog.py" line="76" />
      <source>{old} → {new} ({kind}). Rename fee {fee} yuan, received {got}; paid money moving with the flat {moving} yuan.</source>
      <translation>{old} → {new}({kind})。更名费 {fee} 元,已收 {got} 元;随房结转的已付房款 {moving} 元。</translation>
    </message>
  </context>
  <context>
    <name>ReviewPanel</name>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="26" />
      <source>No ticket reviewed yet</source>
      <translation>尚未复核任何选房工作票</translation>
    </message>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="21" />
      <source>Review station: {name}</source>
      <translation>复核区:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="45" />
      <source>Reviewed {number}: {buyer}, {flat}, {total} yuan ({ratio} now: {now}); issued by {issuer}</source>
      <translation>已复核 {number}:{buyer},{flat},总价 {total} 元(本次 {ratio}:{now} 元);开票人 {issuer}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/review_panel.py" line="24" />
      <source>Scan the ticket's QR code or type its number, then Enter</source>
      <translation>扫描选房工作票二维码或输入票号,回车</translation>
    </message>
  </context>
  <context>
    <name>ReviewerDialog</name>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="28" />
      <source>A second person reviews: {what}</source>
      <translation>由另一人复核:{what}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="26" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="20" />
      <source>Reviewer sign-off</source>
      <translation>复核人签核</translation>
    </message>
    <message>
      <location filename="../../ui/selection/reviewer_dialog.py" line="25" />
      <source>Reviewer user name</source>
      <translation>复核人用户名</translation>
    </message>
  </context>
  <context>
    <name>RolesTab</name>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="50" />
      <source>Chinese name</source>
      <translation>中文名称</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="49" />
      <source>Code</source>
      <translation>代码</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="43" />
      <source>Create role</source>
      <translation>新建角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="45" />
      <source>Delete role</source>
      <translation>删除角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="55" />
      <source>New role</source>
      <translation>新角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="59" />
      <source>Permission</source>
      <translation>权限</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="123" />
      <source>Permissions of {role} saved.</source>
      <translation>已保存“{role}”的权限。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="36" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="141" />
      <source>Role created: tick its permissions and save.</source>
      <translation>角色已创建:请勾选其权限并保存。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="153" />
      <source>Role {role} deleted.</source>
      <translation>已删除角色“{role}”。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="71" />
      <source>Save permissions</source>
      <translation>保存权限</translation>
    </message>
    <message>
      <location filename="../../ui/admin/roles_tab.py" line="36" />
      <source>Users</source>
      <translation>用户数</translation>
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
      <translation>公司(在图外)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_map.py" line="125" />
      <source>Office, {km:.0f} km away</source>
      <translation>公司,约 {km:.0f} 公里外</translation>
    </message>
  </context>
  <context>
    <name>RoutesDialogs</name>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="214" />
      <source>(no address)</source>
      <translation>(没有地址)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="49" />
      <source>(no owner)</source>
      <translation>(未指定负责人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="214" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="82" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="205" />
      <source>Coordinates of {name}</source>
      <translation>{name} 的坐标</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="46" />
      <source>Delete area</source>
      <translation>删除区域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="187" />
      <source>Delete the visit area “{name}”? Its customers stay as they are.</source>
      <translation>删除拜访区域“{name}”?区域内的客户资料不受影响。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="63" />
      <source>Districts</source>
      <translation>区县</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="216" />
      <source>Latitude</source>
      <translation>纬度</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="217" />
      <source>Longitude</source>
      <translation>经度</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="60" />
      <source>Name</source>
      <translation>区域名称</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="46" />
      <source>New area</source>
      <translation>新建区域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="62" />
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="215" />
      <source>Now</source>
      <translation>当前坐标</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="61" />
      <source>Owner rep</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="56" />
      <source>Save area</source>
      <translation>保存区域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="64" />
      <source>Tick a city to take all its districts. A district can belong to one area only.</source>
      <translation>勾选城市即包含该市全部区县。每个区县只能属于一个拜访区域。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="42" />
      <source>Visit areas</source>
      <translation>拜访区域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_dialogs.py" line="215" />
      <source>no coordinates</source>
      <translation>没有坐标</translation>
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
      <translation>(为找到的最佳顺序,未必最短)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="314" />
      <source> (reordered to keep out of the customers' unsuitable times)</source>
      <translation>(已按客户不宜拜访时间调整顺序)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="162" />
      <source> — {owner}</source>
      <translation> — {owner}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="166" />
      <source>(choose a rep)</source>
      <translation>(选择营销人员)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="160" />
      <source>(choose an area)</source>
      <translation>(选择拜访区域)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="235" />
      <source>(no address)</source>
      <translation>(没有地址)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="311" />
      <source>; {saved:.1f} km shorter than the order ticked</source>
      <translation>;比勾选顺序少走 {saved:.1f} 公里</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="92" />
      <source>Address classification table…</source>
      <translation>客户地址分类表…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="57" />
      <source>Area</source>
      <translation>区域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="183" />
      <source>Area: {name}</source>
      <translation>拜访区域:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="61" />
      <source>Areas…</source>
      <translation>划分区域…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="307" />
      <source>Back to the office  (+{km:.1f} km)</source>
      <translation>返回公司  (+{km:.1f} 公里)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="374" />
      <source>Choose an area or a rep first.</source>
      <translation>请先选择拜访区域或营销人员。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="205" />
      <source>Choose the rep whose plans to route.</source>
      <translation>请先选择要排路线的人员。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="335" />
      <source>Coordinates</source>
      <translation>客户坐标</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="82" />
      <source>Customers (tick the day's visits; double-click to enter coordinates)</source>
      <translation>客户(勾选当天要拜访的客户;双击录入坐标)</translation>
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
      <translation>按地址补全坐标</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="246" />
      <source>Left out of routes: {why}</source>
      <translation>不安排拜访:{why}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="321" />
      <source>Left out: {names}</source>
      <translation>未排入路线:{names}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="237" />
      <source>Not to be visited: {times}</source>
      <translation>不宜拜访时间:{times}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="69" />
      <source>Order route</source>
      <translation>排定路线</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="96" />
      <source>PDF</source>
      <translation>PDF</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="93" />
      <source>Region analysis table…</source>
      <translation>客户区域分析表…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="185" />
      <source>Rep: {name}</source>
      <translation>营销人员:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="94" />
      <source>Sales analysis table…</source>
      <translation>客户销售分析表…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="72" />
      <source>The rep's plans that day</source>
      <translation>该人员当天的拜访计划</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="68" />
      <source>Tick all</source>
      <translation>全选</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="279" />
      <source>Tick at least one customer to visit.</source>
      <translation>请至少勾选一家要拜访的客户。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="88" />
      <source>Tick customers and press “Order route”.</source>
      <translation>勾选客户后点击“排定路线”。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="68" />
      <source>Tick none</source>
      <translation>全不选</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="298" />
      <source>[arrives in an unsuitable time: {times}]</source>
      <translation>[到达时间不宜拜访:{times}]</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="296" />
      <source>[not on this day: {times}]</source>
      <translation>[当天不宜:{times}]</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="300" />
      <source>[not: {times}]</source>
      <translation>[不宜:{times}]</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="57" />
      <source>or rep</source>
      <translation>或营销人员</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="335" />
      <source>{filled} customers got coordinates from their address; {unmatched} addresses name no known district (enter those by hand); {kept} already had coordinates.</source>
      <translation>已按地址为 {filled} 家客户补全坐标;{unmatched} 个地址未能识别区县(请手工录入);{kept} 家客户原已有坐标。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="270" />
      <source>{n} customers, {ticked} ticked, {invalid} cannot be visited</source>
      <translation>共 {n} 家客户,已勾选 {ticked} 家,{invalid} 家不安排拜访</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="318" />
      <source>{n} of them should not be visited on {day} (see their unsuitable times).</source>
      <translation>其中 {n} 家客户 {day} 不宜拜访(见其不宜拜访时间)。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="308" />
      <source>{n} stops, about {km:.1f} km, {time}</source>
      <translation>{n} 家客户,约 {km:.1f} 公里,{time}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="291" />
      <source>{n}. {name}  (+{km:.1f} km)</source>
      <translation>{n}. {name}  (+{km:.1f} 公里)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/routes_panel.py" line="222" />
      <source>{rep} has no planned visits on {day}.</source>
      <translation>{rep} 在 {day} 没有待拜访的计划。</translation>
    </message>
  </context>
  <context>
    <name>RulesDialog</name>
    <message>
      <location filename="../../ui/rules_dialog.py" line="55" />
      <source>Business rules</source>
      <translation>业务规则</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="34" />
      <source>Customer archive</source>
      <translation>客户档案</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="74" />
      <source>Default: {value}</source>
      <translation>默认值:{value}</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="61" />
      <source>Defaults follow the regulations; changes apply to every desk.</source>
      <translation>默认值依照公司制度;修改后对所有工作台生效。</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="35" />
      <source>Grading</source>
      <translation>客户分级</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="39" />
      <source>House selection</source>
      <translation>选房</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="64" />
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="38" />
      <source>Reception</source>
      <translation>接待与投诉</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="40" />
      <source>Security and backups</source>
      <translation>安全与备份</translation>
    </message>
    <message>
      <location filename="../../ui/rules_dialog.py" line="37" />
      <source>Visits and routes</source>
      <translation>拜访与路线</translation>
    </message>
  </context>
  <context>
    <name>SalesControlModel</name>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="85" />
      <source> unit {e}</source>
      <translation>{e}单元</translation>
    </message>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="83" />
      <source>Flat {n}</source>
      <translation>{n} 户</translation>
    </message>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="86" />
      <source>{building}{unit} floor {floor}</source>
      <translation>{building}{unit} {floor} 层</translation>
    </message>
    <message>
      <location filename="../../ui/selection/grid_model.py" line="70" />
      <source>{flat} · {type} · total {total} · {status} {ticket}</source>
      <translation>{flat} · {type} · 总价 {total} · {status} {ticket}</translation>
    </message>
  </context>
  <context>
    <name>SalesDialogs</name>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="121" />
      <source>Add payment record</source>
      <translation>录入回款记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="103" />
      <source>Add sales record</source>
      <translation>录入销售记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="126" />
      <source>Amount (yuan)</source>
      <translation>金额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="125" />
      <source>Contract / invoice no.</source>
      <translation>合同/发票号</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="58" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="127" />
      <source>Due on</source>
      <translation>应付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="113" />
      <source>Gross profit (yuan)</source>
      <translation>毛利(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="142" />
      <source>Import payments — {name}</source>
      <translation>导入回款记录 — {name}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="142" />
      <source>Import sales — {name}</source>
      <translation>导入销售记录 — {name}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="166" />
      <source>Imported {ok} payment records; {bad} rows with errors were not imported.</source>
      <translation>已导入 {ok} 条回款记录;{bad} 行有错误,未导入。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="165" />
      <source>Imported {ok} sales records; {bad} rows with errors were not imported.</source>
      <translation>已导入 {ok} 条销售记录;{bad} 行有错误,未导入。</translation>
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
      <translation>未导入任何数据:{bad} 行有错误。请按错误报告改正后重新导入该文件。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="114" />
      <source>Orders</source>
      <translation>订单数</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="128" />
      <source>Paid on</source>
      <translation>实付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="110" />
      <source>Product</source>
      <translation>产品</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="35" />
      <source>Records are never edited or deleted. To correct a figure, enter a new record with the difference — a negative amount cancels what was entered too much.</source>
      <translation>记录一经录入不能修改或删除。数字有误时,请录入一条差额记录——多录的金额用负数冲减。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_dialogs.py" line="111" />
      <source>Sales (yuan)</source>
      <translation>销售额(元)</translation>
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
      <translation>例如 12,500.00 或 50万;冲减填负数</translation>
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
      <translation>录入回款…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="87" />
      <source>Add sales record…</source>
      <translation>录入销售…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="183" />
      <source>Choose a customer.</source>
      <translation>请选择客户。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="289" />
      <source>Choose an unpaid payment in the list first.</source>
      <translation>请先在列表中选择一笔未付款项。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="92" />
      <source>Credit limit…</source>
      <translation>信用额度…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="113" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="296" />
      <source>Dates are written like 2026-11-25</source>
      <translation>日期请写成 2026-11-25 这样</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="255" />
      <source>Delivery within {d} days</source>
      <translation>{d} 天内交货</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Due on</source>
      <translation>应付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="254" />
      <source>Grade {g}</source>
      <translation>等级 {g}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Gross profit</source>
      <translation>毛利</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="89" />
      <source>Import from Excel</source>
      <translation>Excel导入</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="354" />
      <source>Import payments</source>
      <translation>导入回款记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="354" />
      <source>Import sales</source>
      <translation>导入销售记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="364" />
      <source>Import template</source>
      <translation>导入模板</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="251" />
      <source>Late payments in one quarter (this or the last): {n}</source>
      <translation>单季度逾期付款(本季度或上季度):{n} 次</translation>
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
      <translation>不可插单</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="232" />
      <source>Not yet due</source>
      <translation>未到期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="123" />
      <source>Orders</source>
      <translation>订单数</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="234" />
      <source>Paid late</source>
      <translation>逾期付款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Paid on</source>
      <translation>实付日期</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="282" />
      <source>Paid on (e.g. 2026-11-25)</source>
      <translation>实付日期(例如 2026-11-25)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="234" />
      <source>Paid on time</source>
      <translation>按期付款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="105" />
      <source>Payment records</source>
      <translation>回款记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="255" />
      <source>Payment: {t}</source>
      <translation>付款:{t}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="129" />
      <source>Payments due in the year</source>
      <translation>本年度应收回款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="141" />
      <source>Policy that follows the grade</source>
      <translation>分级政策</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="254" />
      <source>Price: {p}</source>
      <translation>价格:{p}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Product</source>
      <translation>产品</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="282" />
      <source>Record as paid</source>
      <translation>登记收款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="96" />
      <source>Record as paid…</source>
      <translation>登记收款…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="123" />
      <source>Records</source>
      <translation>记录数</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Reference</source>
      <translation>合同/发票号</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="257" />
      <source>Reply within {h} hours</source>
      <translation>{h} 小时内答复</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="256" />
      <source>Rush orders allowed</source>
      <translation>可插单</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="122" />
      <source>Sales (yuan)</source>
      <translation>销售额(元)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="129" />
      <source>Sales by month and product</source>
      <translation>按月份和产品的销售</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="105" />
      <source>Sales records</source>
      <translation>销售记录</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="91" />
      <source>Scoring items…</source>
      <translation>评分项…</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="127" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="90" />
      <source>Template</source>
      <translation>下载模板</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="372" />
      <source>Template saved: {file}</source>
      <translation>模板已保存:{file}</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="218" />
      <source>Total</source>
      <translation>合计</translation>
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
      <translation>未分级(按C级)</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="241" />
      <source>{n} payments due in {year}, {late} late.</source>
      <translation>{year} 年应收回款 {n} 笔,逾期 {late} 笔。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="219" />
      <source>{n} products</source>
      <translation>{n} 种产品</translation>
    </message>
    <message>
      <location filename="../../ui/grading/sales_panel.py" line="249" />
      <source>{terms} (dropped one level: {n} late payments in {q})</source>
      <translation>{terms}(已降一级:{q} 逾期付款 {n} 次)</translation>
    </message>
  </context>
  <context>
    <name>SchemesDialog</name>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="84" />
      <source>Choose a scheme in the list first.</source>
      <translation>请先在列表中选择一个方案。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Customer grade</source>
      <translation>客户等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="36" />
      <source>Grading schemes</source>
      <translation>分级方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="44" />
      <source>Make it the customer grade</source>
      <translation>设为客户等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="49" />
      <source>Name of a new scheme</source>
      <translation>新方案名称</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="51" />
      <source>New scheme</source>
      <translation>新建方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Parameters</source>
      <translation>参数</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="39" />
      <source>Scheme</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../../ui/grading/schemes_dialog.py" line="45" />
      <source>Take the current business rules</source>
      <translation>按当前业务规则更新参数</translation>
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
      <translation>——纸张比本单据短 {cut} mm:请在打印设置中核对纸张</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="71" />
      <source>Absent (F6)</source>
      <translation>过号(F6)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="182" />
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="78" />
      <source>Big screen</source>
      <translation>叫号大屏</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="186" />
      <source>Building</source>
      <translation>楼栋</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="368" />
      <source>Call a buyer first; the one called last at this desk is marked absent.</source>
      <translation>请先叫号;过号针对本台最后叫到的购房者。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="63" />
      <source>Call next (F5)</source>
      <translation>叫下一号(F5)</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="362" />
      <source>Calling number {order}: {name}</source>
      <translation>正在叫号:{order} 号 {name}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="350" />
      <source>Calling numbers {first}–{last}: {names}</source>
      <translation>正在叫号 {first}–{last} 号:{names}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="342" />
      <source>Desk 1</source>
      <translation>1号台</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="91" />
      <source>Event</source>
      <translation>选房活动</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="85" />
      <source>Event set-up…</source>
      <translation>活动设置…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="363" />
      <source>Everyone has been called.</source>
      <translation>已全部叫完。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="69" />
      <source>Group of </source>
      <translation>每组 </translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="82" />
      <source>Ledgers…</source>
      <translation>台帐与报表…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="125" />
      <source>No house-selection event yet: set one up (project, flats, commissioning unit, prices, buyers) or start with --demo.</source>
      <translation>还没有选房活动:请先设置(项目、房源、委建房单位、价格、购房者名单),或用 --demo 启动演示。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="328" />
      <source>Not printed {title} on {printer}: {reason}. The document is saved; print it again from the buyer's documents.</source>
      <translation>{title} 未能在 {printer} 打印:{reason}。单据已保存,请在购房人单据中重打。</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="376" />
      <source>Number {order} ({name}) is on the passed list</source>
      <translation>{order} 号({name})已列入过号名单</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="74" />
      <source>Passed list…</source>
      <translation>过号名单…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="332" />
      <source>Printed {title}: {pages} pages to {printer}</source>
      <translation>已打印 {title}:共 {pages} 页,打印机 {printer}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="80" />
      <source>Printing…</source>
      <translation>打印设置…</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="390" />
      <source>Re-calling number {order}: {name}</source>
      <translation>重新叫号 {order} 号:{name}</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="93" />
      <source>This desk</source>
      <translation>本台</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="188" />
      <source>Unit type</source>
      <translation>户型</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="323" />
      <source>the default printer</source>
      <translation>默认打印机</translation>
    </message>
    <message>
      <location filename="../../ui/selection/tab.py" line="215" />
      <source>{flats} flats: sold {sold} ({sold_amount} yuan, {area} m²), left {left} ({left_amount} yuan)</source>
      <translation>共 {flats} 套:已售 {sold} 套(金额 {sold_amount} 元,面积 {area} m²),可选 {left} 套(金额 {left_amount} 元)</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../ui/settings_dialog.py" line="34" />
      <source>Changes take effect when KeDesk is started again.</source>
      <translation>更改将在重新启动客台后生效。</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="29" />
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="30" />
      <source>Empty: the embedded SQLite file. Shared desks: postgresql://user:password@server/kedesk</source>
      <translation>留空:使用本机内置的 SQLite 数据库文件。多台共用:postgresql://用户名:密码@服务器/kedesk</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="32" />
      <source>Language</source>
      <translation>界面语言</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="33" />
      <source>Operator name</source>
      <translation>操作员姓名</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="19" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="41" />
      <source>Use sqlite:///path/file.sqlite3 or postgresql://user@server/database</source>
      <translation>请填写 sqlite:///路径/文件.sqlite3 或 postgresql://用户名@服务器/数据库名</translation>
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
      <translation>检出到本机(离线外出)…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="24" />
      <source>Click to see the changes waiting to be synced</source>
      <translation>点击查看待同步的修改</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="38" />
      <source>Offline replica · {n} changes waiting · last sync {last}</source>
      <translation>离线副本 · 待同步 {n} 项 · 上次同步 {last}</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="57" />
      <source>Sent {sent} changes ({conflicts} with conflicts), took {pulled} central changes.</source>
      <translation>已上传 {sent} 项修改(其中 {conflicts} 项有冲突),取回中心变化 {pulled} 项。</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="57" />
      <source>Sync</source>
      <translation>同步</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="115" />
      <source>Sync conflicts…</source>
      <translation>同步冲突…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="93" />
      <source>Sync with the central database</source>
      <translation>与中心数据库同步</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="65" />
      <source>The central database cannot be reached; your changes stay on this laptop. ({error})</source>
      <translation>无法连接中心数据库,您的修改仍保留在本机,稍后再同步。({error})</translation>
    </message>
    <message>
      <location filename="../../ui/sync/status.py" line="37" />
      <source>never</source>
      <translation>从未同步</translation>
    </message>
  </context>
  <context>
    <name>TermDropsPanel</name>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="35" />
      <source>Check late payments now</source>
      <translation>立即检查逾期付款</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Code</source>
      <translation>客户代码</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Late payments</source>
      <translation>逾期次数</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="49" />
      <source>No customer's payment terms have been dropped: nobody has {n} or more late payments due in one quarter. After entering or importing payments, “Check late payments now” looks again.</source>
      <translation>目前没有客户被降低付款条件:没有客户在一个季度内有 {n} 笔或以上逾期付款。录入或导入回款记录后,可点“立即检查逾期付款”重新检查。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="28" />
      <source>Noticed at</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Noticed by</source>
      <translation>发现人</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="27" />
      <source>Quarter</source>
      <translation>季度</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="90" />
      <source>{n} new payment-term drops.</source>
      <translation>新发现 {n} 个付款条件降级。</translation>
    </message>
    <message>
      <location filename="../../ui/grading/term_drops_panel.py" line="43" />
      <source>{n} or more late payments in one quarter drop the customer's payment terms one level at once (shown on the customer card).</source>
      <translation>一个季度内逾期付款 {n} 次及以上,客户的付款条件立即降一级(客户卡片上显示)。</translation>
    </message>
  </context>
  <context>
    <name>TourDialog</name>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="57" />
      <source>Accompanied by</source>
      <translation>陪同人员</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="56" />
      <source>Content, scope and route</source>
      <translation>参观内容、范围与线路</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="26" />
      <source>Customer tour application</source>
      <translation>客户参观申请书</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="67" />
      <source>GM approval</source>
      <translation>营销中心总经理核准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="67" />
      <source>GM review, then chairman approval</source>
      <translation>营销中心总经理审核,报董事长批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="53" />
      <source>Headcount</source>
      <translation>参观人数</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="42" />
      <source>One name per line: a badge is printed for each</source>
      <translation>每行一个姓名:每人打印一张胸卡</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="55" />
      <source>Purpose</source>
      <translation>参观目的</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="47" />
      <source>The customer asks to take photos (needs special approval)</source>
      <translation>客户要求拍照(须经特许)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="49" />
      <source>Tour type</source>
      <translation>参观类型</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="52" />
      <source>Visit time</source>
      <translation>参观时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="51" />
      <source>Visiting unit</source>
      <translation>参观单位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="54" />
      <source>Visitors</source>
      <translation>参观人员</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="69" />
      <source>{n} days ahead</source>
      <translation>须提前 {n} 天申请</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tour_dialog.py" line="70" />
      <source>{n} minutes ahead by phone</source>
      <translation>须提前 {n} 分钟电话通知</translation>
    </message>
  </context>
  <context>
    <name>ToursPanel</name>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Applied by</source>
      <translation>申请人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="44" />
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="82" />
      <source>Choose a tour in the list first.</source>
      <translation>请先在列表中选择一条参观申请。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="43" />
      <source>New application…</source>
      <translation>参观申请…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>People</source>
      <translation>人数</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="30" />
      <source>Permit no.</source>
      <translation>许可编号</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="30" />
      <source>Photos</source>
      <translation>拍照</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="47" />
      <source>Print badges…</source>
      <translation>打印胸卡…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="46" />
      <source>Print permit…</source>
      <translation>打印许可证…</translation>
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
      <translation>保存 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="121" />
      <source>Saved to {path}</source>
      <translation>已保存到 {path}</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="95" />
      <source>The customer asks to take photos. Allow it?</source>
      <translation>客户要求拍照,是否特许?</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Visit time</source>
      <translation>参观时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="29" />
      <source>Visiting unit</source>
      <translation>参观单位</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="69" />
      <source>allowed</source>
      <translation>经特许可拍照</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="69" />
      <source>not allowed</source>
      <translation>禁止拍照</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="31" />
      <source>waiting for the GM</source>
      <translation>待总经理审核</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="31" />
      <source>waiting for the chairman</source>
      <translation>待董事长批准</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tours_panel.py" line="72" />
      <source>{n} tours, {k} waiting for approval</source>
      <translation>共 {n} 条参观申请,{k} 条待审批</translation>
    </message>
  </context>
  <context>
    <name>UserForm</name>
    <message>
      <location filename="../../ui/admin/user_form.py" line="37" />
      <source>(none)</source>
      <translation>(无)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="40" />
      <source>(not a staff member)</source>
      <translation>(不关联员工)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="52" />
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="31" />
      <source>Edit user</source>
      <translation>修改用户</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="49" />
      <source>Full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="54" />
      <source>Initial password</source>
      <translation>初始密码</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="51" />
      <source>Linked staff member</source>
      <translation>关联员工</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="102" />
      <source>New password</source>
      <translation>新密码</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="31" />
      <source>New user</source>
      <translation>新建用户</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="97" />
      <source>Reset password of {name}</source>
      <translation>重置 {name} 的密码</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="50" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="99" />
      <source>The user must choose a new password at the next login</source>
      <translation>用户下次登录时须修改密码</translation>
    </message>
    <message>
      <location filename="../../ui/admin/user_form.py" line="48" />
      <source>User name</source>
      <translation>用户名</translation>
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
      <translation>修改后</translation>
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
      <translation>修改记录</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="49" />
      <source>Deactivate / reactivate</source>
      <translation>停用 / 启用</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="48" />
      <source>Edit…</source>
      <translation>修改…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="36" />
      <source>Last login</source>
      <translation>最近登录</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="36" />
      <source>Locked until</source>
      <translation>锁定至</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="48" />
      <source>New user…</source>
      <translation>新建用户…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="33" />
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="125" />
      <source>Password reset.</source>
      <translation>密码已重置。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="51" />
      <source>Reset password…</source>
      <translation>重置密码…</translation>
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
      <translation>请先选择一个用户。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>Staff member</source>
      <translation>关联员工</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="50" />
      <source>Unlock</source>
      <translation>解锁</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="109" />
      <source>User changed.</source>
      <translation>用户已修改。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="104" />
      <source>User created.</source>
      <translation>用户已创建。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="115" />
      <source>User deactivated.</source>
      <translation>用户已停用。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="35" />
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="115" />
      <source>User reactivated.</source>
      <translation>用户已启用。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="120" />
      <source>User unlocked.</source>
      <translation>用户已解锁。</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="151" />
      <source>Users</source>
      <translation>用户</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="145" />
      <source>Users and roles</source>
      <translation>用户与角色管理</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>What</source>
      <translation>对象类型</translation>
    </message>
    <message>
      <location filename="../../ui/admin/users_dialog.py" line="132" />
      <source>Whom</source>
      <translation>对象</translation>
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
      <translation>(请选择)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="206" />
      <source>(not a key person)</source>
      <translation>(非关键人)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="248" />
      <source>Add a promise row</source>
      <translation>增加一行承诺事项</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="228" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="230" />
      <source>Competitors</source>
      <translation>竞争对手信息</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="91" />
      <source>Contact way</source>
      <translation>联络方式</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="231" />
      <source>Credit changes</source>
      <translation>信用变化</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="87" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="229" />
      <source>Customer needs</source>
      <translation>客户需求</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="243" />
      <source>Due date</source>
      <translation>完成日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="69" />
      <source>Edit visit plan</source>
      <translation>修改拜访计划</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="90" />
      <source>Ends</source>
      <translation>结束时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="239" />
      <source>Figures</source>
      <translation>数据</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="191" />
      <source>File visit report</source>
      <translation>填写拜访记录</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="86" />
      <source>Find customer</source>
      <translation>查找客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="235" />
      <source>Growth rate %</source>
      <translation>增长率 %</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="208" />
      <source>Name and position, when not a key person</source>
      <translation>非关键人时填写姓名和职务</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="69" />
      <source>New visit plan</source>
      <translation>新建拜访计划</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="125" />
      <source>No customer found; try another spelling</source>
      <translation>未找到客户,请换一种写法</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="240" />
      <source>Notes</source>
      <translation>拜访情况</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="227" />
      <source>Person met</source>
      <translation>会见人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="93" />
      <source>Place</source>
      <translation>地点</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="237" />
      <source>Profit margin %</source>
      <translation>利润率 %</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="243" />
      <source>Promise</source>
      <translation>承诺事项</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="241" />
      <source>Promises made (each becomes a follow-up until done):</source>
      <translation>所作承诺(每项成为跟进事项,直至完成):</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="92" />
      <source>Purpose</source>
      <translation>目的</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="88" />
      <source>Staff</source>
      <translation>拜访人员</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="89" />
      <source>Starts</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="73" />
      <source>Type a name, pinyin initials, code or phone, then Enter</source>
      <translation>输入名称、拼音首字母、编号或电话,按回车</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="225" />
      <source>Visited on</source>
      <translation>拜访日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/dialogs.py" line="133" />
      <source>Write the time like 2026-11-25 09:30</source>
      <translation>时间请写作 2026-11-25 09:30</translation>
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
      <translation>请先在列表中选择一个生日:问候记入该客户的联络记录。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="85" />
      <source>Choose a follow-up first</source>
      <translation>请先选择一项跟进事项</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="106" />
      <source>Customers nobody contacted this quarter (巡回访问).</source>
      <translation>本季度尚无人联系的客户(巡回访问)。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="105" />
      <source>Customers past the longest gap between contacts for their grade (A: once a quarter).</source>
      <translation>超过其等级最长联系间隔的客户(A级:每季度至少一次)。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="111" />
      <source>Days overdue</source>
      <translation>逾期天数</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Due</source>
      <translation>到期日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="111" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>Greeted</source>
      <translation>已问候</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="158" />
      <source>Holiday</source>
      <translation>节日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="169" />
      <source>How (call, card, gift) and what was said</source>
      <translation>问候方式(电话、贺卡、礼品)与内容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>Kind</source>
      <translation>类别</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="110" />
      <source>Last contact</source>
      <translation>最近联系</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="70" />
      <source>Mark done</source>
      <translation>标记完成</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="69" />
      <source>Promise</source>
      <translation>承诺事项</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="169" />
      <source>Record greeting</source>
      <translation>登记问候</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="147" />
      <source>Record greeting…</source>
      <translation>登记问候…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="178" />
      <source>Recorded on the customer's contact log.</source>
      <translation>已记入客户的联络记录。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="158" />
      <source>Report due</source>
      <translation>报告截止</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="145" />
      <source>What</source>
      <translation>内容</translation>
    </message>
    <message>
      <location filename="../../ui/visits/side_lists.py" line="125" />
      <source>never</source>
      <translation>从未</translation>
    </message>
  </context>
  <context>
    <name>VisitsTab</name>
    <message>
      <location filename="../../ui/visits/tab.py" line="72" />
      <source>(all departments)</source>
      <translation>(全部部门)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="73" />
      <source>(all regions)</source>
      <translation>(全部区域)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="70" />
      <source>(everyone)</source>
      <translation>(全部人员)</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="335" />
      <source>Areas and routes</source>
      <translation>拜访区域与路线</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="124" />
      <source>Birthdays and holidays</source>
      <translation>生日与节日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="330" />
      <source>Calendar</source>
      <translation>日历</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="89" />
      <source>Cancel plan</source>
      <translation>取消计划</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="261" />
      <source>Cancel the visit to {name} on {when}?</source>
      <translation>取消 {when} 对{name}的拜访?</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="248" />
      <source>Choose a planned visit in the calendar first</source>
      <translation>请先在日历中选择一项计划中的拜访</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="345" />
      <source>Complaints</source>
      <translation>客户投诉</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="309" />
      <source>Contact plan</source>
      <translation>客户联络计划表</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="309" />
      <source>Contact schedule</source>
      <translation>客户联系预定表</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="52" />
      <source>Day</source>
      <translation>日</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="76" />
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="85" />
      <source>Edit plan…</source>
      <translation>修改计划…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="275" />
      <source>Export .ics</source>
      <translation>导出日历文件</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="91" />
      <source>Export .ics…</source>
      <translation>导出 .ics…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="286" />
      <source>Exported to {path}.</source>
      <translation>已导出到 {path}。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="87" />
      <source>File visit report…</source>
      <translation>填写拜访记录…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="121" />
      <source>Follow-ups</source>
      <translation>跟进事项</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="347" />
      <source>Hospitality meals</source>
      <translation>招待用餐</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="344" />
      <source>Inquiries</source>
      <translation>客户询价</translation>
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
      <translation>新建计划…</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="122" />
      <source>Overdue</source>
      <translation>逾期未访</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="242" />
      <source>Plan saved.</source>
      <translation>计划已保存。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="97" />
      <source>Print forms</source>
      <translation>打印表单</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="77" />
      <source>Region</source>
      <translation>区域</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="76" />
      <source>Rep</source>
      <translation>人员</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="123" />
      <source>Rotation</source>
      <translation>巡回访问</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="61" />
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="346" />
      <source>Tours</source>
      <translation>客户参观</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="309" />
      <source>Visit records</source>
      <translation>客户拜访记录表</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="254" />
      <source>Visit report filed; it is in the customer's contact log.</source>
      <translation>拜访记录已保存,并已记入客户档案的联络记录。</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="52" />
      <source>Week</source>
      <translation>周</translation>
    </message>
    <message>
      <location filename="../../ui/visits/tab.py" line="306" />
      <source>{n} rows written to {path}.</source>
      <translation>已写入 {n} 行:{path}。</translation>
    </message>
  </context>
</TS>
