"""The 客户卡片 tab: customer list, card editor, key persons, archive sections and history."""
