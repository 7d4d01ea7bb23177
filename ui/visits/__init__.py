"""拜访日历 tab: calendar, routes and reception (tours, meals, complaints) panels."""
