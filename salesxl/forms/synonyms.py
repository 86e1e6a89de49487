"""Column labels other systems use for salesxl's fields, one set per concept.

ERPs (用友, 金蝶, 管家婆), e-commerce back ends (淘宝, 京东) and spreadsheets
name the same column many ways: 订单日期, 下单日期, Order Date, OrderDate.
Each set below is what a field of that concept accepts besides its own
Chinese and English label, and every form uses the same set wherever the
concept appears (销售额 is an amount in sales records and in the targets
History sheet alike).  Matching ignores case, spaces, underscores and
punctuation (`norm_label`), so `Order_Date`, `ORDER DATE` and `Order Date`
are one spelling.  Earlier spellings rank higher: when two columns of a file
could be the same field, the better-ranked label wins (docs/forms.md).
"""

from __future__ import annotations

__all__ = [
    "AMOUNT",
    "CUSTOMER",
    "DATE",
    "MONTH",
    "PRICE",
    "PRODUCT",
    "QTY",
    "REP_ID",
    "REP_NAME",
    "YEAR",
]

# 日期 Date of a sale or contact.  Ship and delivery dates are not sale dates: left out.
DATE = (
    "销售日期",
    "单据日期",
    "开票日期",
    "订单日期",
    "下单日期",
    "下单时间",
    "成交日期",
    "交易日期",
    "业务日期",
    "付款时间",
    "订单付款时间",
    "付款日期",
    "订单创建时间",
    "创建时间",
    "Order Date",
    "Transaction Date",
    "Sale Date",
    "Sales Date",
    "Invoice Date",
    "Txn Date",
    "Date Sold",
    "Order Date Time",
)

# 金额 Amount of a sale (tax included where the export says so: the export's amount is the truth).
AMOUNT = (
    "销售金额",
    "价税合计",
    "销售额",
    "总金额",
    "含税金额",
    "成交金额",
    "订单金额",
    "实付金额",
    "实收金额",
    "买家实际支付金额",
    "金额合计",
    "Sales",
    "Total",
    "Revenue",
    "Sales Amount",
    "Total Amount",
    "Line Total",
    "Net Sales",
    "Sale Amount",
    "Total Price",
    "Gross Sales",
)

# 单价 Unit price.
PRICE = (
    "含税单价",
    "销售单价",
    "成交单价",
    "价格",
    "Price",
    "Unit Price",
    "Price Each",
    "UnitPrice",
    "Sale Price",
)

# 数量 Quantity.
QTY = (
    "销售数量",
    "件数",
    "购买数量",
    "宝贝数量",
    "商品数量",
    "Quantity",
    "Units",
    "Quantity Ordered",
    "Units Sold",
    "Qty Sold",
)

# 客户名称 Customer.
CUSTOMER = (
    "客户",
    "客户名",
    "单位名称",
    "购货单位",
    "客户全称",
    "购买方",
    "买家会员名",
    "买家昵称",
    "Customer Name",
    "Client",
    "Client Name",
    "Account",
    "Account Name",
    "Buyer",
)

# 产品 Product.
PRODUCT = (
    "产品名称",
    "品名",
    "商品名称",
    "存货名称",
    "货品名称",
    "宝贝标题",
    "物料名称",
    "Product Name",
    "Item",
    "Item Name",
    "Product Line",
    "SKU Name",
)

# 销售员 Rep, by name.  Not 销售经理 / Sales Manager: in CRM exports that is the rep's manager.
REP_NAME = (
    "业务员",
    "销售代表",
    "销售人员",
    "业务代表",
    "Salesperson",
    "Sales Rep",
    "Sales Agent",
    "Sales Person",
    "Sales Representative",
    "Sales Rep Name",
    "Agent",
)

# 工号 Rep ID.
REP_ID = (
    "员工编号",
    "业务员编号",
    "业务员代码",
    "销售代表ID",
    "销售员编号",
    "职员编号",
    "Employee ID",
    "Sales Rep ID",
    "Salesperson ID",
    "Rep Code",
    "Agent ID",
)

# 月份 Month of a history row.
MONTH = ("年月", "期间", "Period", "Year Month", "Sales Month")

# 年度 Year of the targets (and the 年份 Year column of a History sheet laid out wide).
YEAR = ("年", "年份")
